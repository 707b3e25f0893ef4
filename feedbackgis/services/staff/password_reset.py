"""Password reset by an emailed link: asking for one, the link's token, the new password.

The link is a capability: itsdangerous's URLSafeTimedSerializer over SECRET_KEY (salt
"staff-password-reset") signs the user's id, a fingerprint of the password hash the link was
made for, and the time it was made. Nothing of it is stored, in the outbox or anywhere: the
background job makes the token as it sends the email. The link stops working after
STAFF_PASSWORD_RESET_HOURS, and once it is used (setting the password changes the hash, so
the fingerprint no longer matches), as does any older link.
"""
from __future__ import annotations

import enum
import hashlib
from functools import partial
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.errors import ServiceError
from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.links import Links
from feedbackgis.mail.message import OutgoingEmail
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.mail.staff_mail import password_reset_email
from feedbackgis.models import OutboxTopic, StaffUser
from feedbackgis.services.notifications.delivery import deliver_once
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.staff.users import normalized_email, set_password

SALT = "staff-password-reset"
# Notification.kind of the email, and the path of its link (web/staff/password_reset.py).
PASSWORD_RESET_MAIL = "staff_password_reset"  # noqa: S105 - a kind of email
RESET_PATH = "/staff/password-reset/"
# Longer is no address (RFC 5321), so not worth a query.
MAX_EMAIL_LENGTH = 320


class ResetRefusal(enum.StrEnum):
    INVALID = "invalid"  # not made by us, cut short, used already, or the user is disabled
    EXPIRED = "expired"


class ResetLinkRefused(ServiceError):
    status_code = 400
    code = "invalid_reset_link"

    def __init__(self, reason: ResetRefusal) -> None:
        super().__init__(f"The password reset link is {reason}.")
        self.reason = reason


def request_password_reset(session: Session, email: str, language: str) -> None:
    """Record that a reset link is to be emailed, if `email` is an active staff user's.

    The caller answers the same whatever happens here; the only extra work for a known
    address is one row in the outbox, written in the same transaction.
    """
    email = normalized_email(email)
    user = None
    # No address holds a NUL (and PostgreSQL takes none in a query).
    if email and len(email) <= MAX_EMAIL_LENGTH and "\x00" not in email:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email,
                                                      StaffUser.active.is_(True)))
    if user is not None:
        record_side_effect(session, OutboxTopic.STAFF_PASSWORD_RESET, user_id=user.id,
                           language=language if language in LANGUAGES else None)
    session.commit()


def password_fingerprint(password_hash: str | None) -> str:
    # Changes with every new hash (argon2 salts each one); tells nothing about the password.
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def reset_token(secret_key: str, user_id: int, password_hash: str | None) -> str:
    """The token of a reset link for the user whose password hash is now `password_hash`."""
    return _serializer(secret_key).dumps({"user": user_id,
                                          "key": password_fingerprint(password_hash)})


def _claims(secret_key: str, token: str, max_age_seconds: int) -> dict[str, Any]:
    try:
        claims = _serializer(secret_key).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise ResetLinkRefused(ResetRefusal.EXPIRED) from None
    except BadSignature:
        raise ResetLinkRefused(ResetRefusal.INVALID) from None
    if not isinstance(claims, dict) or not isinstance(claims.get("user"), int):
        raise ResetLinkRefused(ResetRefusal.INVALID)
    return claims


def user_of_reset_token(session: Session, secret_key: str, token: str, max_age_seconds: int,
                        *, for_update: bool = False) -> StaffUser:
    """The user a valid, unused reset link is for; ResetLinkRefused otherwise."""
    claims = _claims(secret_key, token, max_age_seconds)
    query = select(StaffUser).where(StaffUser.id == claims["user"])
    if for_update:
        query = query.with_for_update(of=StaffUser)
    user = session.scalar(query)
    if (user is None or not user.active
            or claims.get("key") != password_fingerprint(user.password_hash)):
        session.rollback()
        raise ResetLinkRefused(ResetRefusal.INVALID)
    return user


def reset_password(session: Session, secret_key: str, token: str, password: str,
                   max_age_seconds: int) -> StaffUser:
    """Set the password of the link's user (the rules of users.checked_password), lifting
    any lockout. The row is locked first: of two uses at once, the second finds the new
    hash and is refused."""
    user = user_of_reset_token(session, secret_key, token, max_age_seconds, for_update=True)
    try:
        return set_password(session, user, password)
    except ServiceError:
        session.rollback()
        raise


def send_password_reset_email(session: Session, smtp: SmtpSettings, links: Links, *,
                              user_id: int, language: str | None, outbox_id: int,
                              valid_hours: int) -> int:
    """Email the reset link to the user asked for, once per request (deliver_once keyed by
    the outbox row); 0 when the account is gone or disabled meanwhile."""
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        return 0
    language = language if language in LANGUAGES else links.default_language
    # Plain values: deliver_once commits before composing.
    compose = partial(_compose_reset_email, links, user.id, user.email, user.password_hash,
                      language, valid_hours)
    sent = deliver_once(session, smtp, key=f"password-reset:{outbox_id}",
                        kind=PASSWORD_RESET_MAIL, recipient=user.email, language=language,
                        report_id=None, compose=compose)
    return 1 if sent else 0


def _compose_reset_email(links: Links, user_id: int, email: str, password_hash: str | None,
                         language: str, valid_hours: int) -> OutgoingEmail:
    # Made now, as the email leaves: the link's hour starts when it is sent.
    token = reset_token(links.secret_key, user_id, password_hash)
    url = f"{links.absolute(RESET_PATH + token)}?lang={language}"
    return password_reset_email(to=email, language=language, reset_url=url,
                                valid_hours=valid_hours)

"""Staff accounts: create, list, change, disable, and the password check a sign-in page uses.

Passwords are hashed with argon2 (argon2-cffi's PasswordHasher and its defaults, argon2id);
a hash made with older parameters is replaced at the next successful sign-in. Five wrong
passwords in a row lock the account for 15 minutes. An admin creates, changes and disables
accounts (the admin pages, `feedbackgis users ...`); each such change is in the audit trail.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import PARTY_ROLES, Role
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.i18n import LANGUAGES
from feedbackgis.models import OutboxTopic, Party, PartyKind, StaffUser
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change, snapshot
from feedbackgis.services.catalog.parties_and_categories import (
    EMAIL,
    checked_language,
    find_party,
)
from feedbackgis.services.outbox import record_side_effect

MIN_PASSWORD_LENGTH = 12
# Beyond this a "password" is a denial of service on the hasher, not a password.
MAX_PASSWORD_LENGTH = 1024
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
NAME_MAX_LENGTH = 200

_hasher = PasswordHasher()
# Verified against when there is no hash to check (unknown email, locked account), so that
# every refusal takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not the password of anyone")

# The kind of party each party-scoped role belongs to.
_PARTY_KIND = {Role.HANDLER: PartyKind.UNIT, Role.CONTRACTOR: PartyKind.CONTRACTOR}


class LoginOutcome(enum.StrEnum):
    SIGNED_IN = "signed_in"
    WRONG_CREDENTIALS = "wrong_credentials"  # unknown email or wrong password, alike
    LOCKED = "locked"  # too many failures; not even the right password opens it yet
    DISABLED = "disabled"  # the right password of a disabled account


@dataclass(frozen=True)
class LoginAttempt:
    outcome: LoginOutcome
    user: StaffUser | None = None  # only when signed in

    @property
    def signed_in(self) -> bool:
        return self.outcome is LoginOutcome.SIGNED_IN


def normalized_email(email: str) -> str:
    return email.strip().lower()


def _checked_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(f"Unknown role '{role}'; the roles are {roles}.",
                           field="role") from None


def checked_password(password: str) -> str:
    """The password if it keeps the rules (its length); InvalidInput on field "password"."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.",
                           field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must be at most {MAX_PASSWORD_LENGTH} characters.",
                           field="password")
    return password


def _party_for(session: Session, role: Role, party_name: str | None) -> Party | None:
    """Handlers belong to a unit and contractors to a contractor; other roles to no party."""
    if role not in PARTY_ROLES:
        if party_name:
            raise InvalidInput(f"A {role} sees every report and belongs to no party; "
                               "leave out --party.", field="party")
        return None
    if not party_name:
        raise InvalidInput(f"A {role} belongs to one party: give it with --party.",
                           field="party")
    party = find_party(session, party_name)
    if party.kind != _PARTY_KIND[role]:
        raise InvalidInput(f"A {role} belongs to a {_PARTY_KIND[role]}, and '{party.name}' "
                           f"is a {party.kind}.", field="party")
    return party


def _checked_name(name: str | None) -> str | None:
    cleaned = (name or "").strip()
    if len(cleaned) > NAME_MAX_LENGTH or "\x00" in cleaned:
        raise InvalidInput(f"A name is at most {NAME_MAX_LENGTH} characters (no NUL).",
                           field="name")
    return cleaned or None


def user_snapshot(user: StaffUser) -> dict[str, Any]:
    """What the audit trail keeps of an account: never its password hash."""
    return snapshot(user, ("email", "name", "role", "active"),
                    party=user.party.name if user.party else None)


def create_user(session: Session, email: str, role: Role | str, password: str | None, *,
                party: str | None = None, name: str | None = None,
                send_password_link: bool = False, language: str | None = None,
                actor: ChangeActor = SYSTEM) -> StaffUser:
    """A new account with `password`, or (password None, send_password_link) with none yet:
    the user is emailed a link to choose one (the password reset's). `language` is the
    user's: of the emails the service sends them (the link, the monthly summaries)."""
    email = normalized_email(email)
    if not EMAIL.match(email) or len(email) > 320 or "\x00" in email:
        raise InvalidInput(f"Not a valid email address: {email}", field="email")
    role = _checked_role(role)
    party_of_user = _party_for(session, role, party)
    language_of_user = checked_language(language)
    if password is None and not send_password_link:
        raise InvalidInput("Give a password, or send the user a link to choose one.",
                           field="password")
    password_hash = None if password is None else _hasher.hash(checked_password(password))
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise Conflict(f"A user with the email {email} exists already.", field="email")
    user = StaffUser(email=email, name=_checked_name(name), role=role, party=party_of_user,
                     password_hash=password_hash, active=True, failed_logins=0,
                     language=language_of_user)
    session.add(user)
    session.flush()
    record_change(session, actor, Entity.USER, user.id, "create", None, user_snapshot(user))
    if password is None:
        _record_password_link(session, user, language)
    session.commit()
    return user


@dataclass(frozen=True)
class UserChanges:
    """What update_user changes; None keeps a value, party "" means none."""

    name: str | None = None
    role: Role | str | None = None
    party: str | None = None
    active: bool | None = None
    language: str | None = None


def _check_not_own_admin_rights(user: StaffUser, actor: ChangeActor, role: Role,
                                active: bool) -> None:
    # An admin who took away their own rights could not put them back.
    if isinstance(actor, StaffUser) and actor.id == user.id:
        if role is not Role.ADMIN:
            raise InvalidInput("You cannot take away your own admin role.", field="role")
        if not active:
            raise InvalidInput("You cannot disable your own account.", field="active")


def update_user(session: Session, email: str, changes: UserChanges, *,
                actor: ChangeActor = SYSTEM) -> StaffUser:
    """Change the name, role, party or active state: a party is kept while the new role
    takes one, and dropped for a role that takes none, unless another is given."""
    user = find_user(session, email)
    before = user_snapshot(user)
    role = user.role if changes.role is None else _checked_role(changes.role)
    active = user.active if changes.active is None else changes.active
    _check_not_own_admin_rights(user, actor, role, active)
    if changes.party is not None:
        party_name = changes.party.strip() or None
    else:
        party_name = user.party.name if user.party and role in PARTY_ROLES else None
    user.party = _party_for(session, role, party_name)
    user.role = role
    user.active = active
    if changes.name is not None:
        user.name = _checked_name(changes.name)
    if changes.language is not None:
        user.language = checked_language(changes.language)
    record_change(session, actor, Entity.USER, user.id, "update", before, user_snapshot(user))
    session.commit()
    return user


def _record_password_link(session: Session, user: StaffUser, language: str | None) -> None:
    # The password reset's own email and link (services/staff/password_reset.py).
    record_side_effect(session, OutboxTopic.STAFF_PASSWORD_RESET, user_id=user.id,
                       language=language if language in LANGUAGES else None)


def send_password_link(session: Session, email: str, language: str | None = None, *,
                       actor: ChangeActor = SYSTEM) -> StaffUser:
    """Email the user a link to choose a new password (the old one works until then)."""
    user = find_user(session, email)
    if not user.active:
        raise InvalidInput(f"{user.email} is disabled: enable the account first.",
                           field="email")
    _record_password_link(session, user, language)
    record_change(session, actor, Entity.USER, user.id, "password_link", None,
                  {"password_link": "sent"})
    session.commit()
    return user


def list_users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.email)))


def get_user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}. See `feedbackgis users list`.")
    return user


def find_user(session: Session, email: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.email == normalized_email(email)))
    if user is None:
        raise NotFound(f"No user with the email {normalized_email(email)}. "
                       "See `feedbackgis users list`.", field="email")
    return user


def disable_user(session: Session, email: str, *, actor: ChangeActor = SYSTEM) -> StaffUser:
    """The user can no longer sign in or do anything; the account stays, for the history."""
    return update_user(session, email, UserChanges(active=False), actor=actor)


def set_password(session: Session, user: StaffUser, password: str) -> StaffUser:
    """A new password for user (checked, hashed): it also lifts a lockout, and ends the
    user's sessions and reset links, which are bound to the previous hash."""
    user.password_hash = _hasher.hash(checked_password(password))
    user.failed_logins = 0
    user.locked_until = None
    session.commit()
    return user


def is_locked(user: StaffUser, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(session: Session, email: str, password: str, *,
                    now: datetime | None = None) -> LoginAttempt:
    """Check a sign-in: counts failures in a row, locks after MAX_FAILED_LOGINS for LOCKOUT.

    Every refusal costs one argon2 verification, so timing tells nothing about the email.
    """
    now = now or datetime.now(UTC)
    # Locked while checked: two wrong passwords at once both count.
    user = session.scalar(select(StaffUser).where(StaffUser.email == normalized_email(email))
                          .with_for_update(of=StaffUser))
    attempt = _attempt(user, password, now)
    session.commit()
    return attempt


def _attempt(user: StaffUser | None, password: str, now: datetime) -> LoginAttempt:
    if user is None or is_locked(user, now):
        _password_matches(None, password)
        return LoginAttempt(LoginOutcome.LOCKED if user else LoginOutcome.WRONG_CREDENTIALS)
    if not _password_matches(user.password_hash, password):
        if user.active:
            _count_failure(user, now)
        return LoginAttempt(LoginOutcome.WRONG_CREDENTIALS)
    if not user.active:
        return LoginAttempt(LoginOutcome.DISABLED)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginAttempt(LoginOutcome.SIGNED_IN, user)


def _count_failure(user: StaffUser, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        # Counted afresh after the lock: five more tries, then locked again.
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0

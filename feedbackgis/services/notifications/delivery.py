"""deliver_once: send one notification email at most once, however often a job runs.

The notification row is the record: it is created (or found) by its idempotency key,
locked while the message is handed to the SMTP server, and marked sent in the same breath.
A job killed before the server accepted the message leaves the row pending, so its retry
sends it; a job that finds the row sent does nothing. The only window for a second copy
is a crash between the server's acceptance and our commit: the Message-ID is the same on
every attempt, so the receiving side can drop such a copy.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from feedbackgis.mail.message import OutgoingEmail, message_id_for, to_mime
from feedbackgis.mail.smtp import SmtpSettings, send_message
from feedbackgis.models import DeliveryStatus, Notification

ERROR_TEXT_LIMIT = 2000


def _claim(session: Session, key: str, kind: str, recipient: str, language: str,
           report_id: int | None) -> Notification:
    session.execute(
        insert(Notification)
        .values(idempotency_key=key, kind=kind, recipient=recipient, language=language,
                report_id=report_id)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
    )
    session.commit()
    # The lock makes a duplicate job running at the same time wait, then see "sent".
    return session.scalars(
        select(Notification).where(Notification.idempotency_key == key).with_for_update()
    ).one()


def deliver_once(
    session: Session, smtp: SmtpSettings, *, key: str, kind: str, recipient: str,
    language: str, report_id: int | None, compose: Callable[[], OutgoingEmail],
) -> bool:
    """Send the email unless the notification `key` was sent already; True if sent now.

    Raises DeliveryFailed (after recording the full error on the notification row), so the
    job's retry policy applies.
    """
    notification = _claim(session, key, kind, recipient, language, report_id)
    if notification.status is DeliveryStatus.SENT:
        session.rollback()
        return False
    notification.attempts += 1
    try:
        email = compose()
    except Exception:
        # Not a delivery failure (e.g. the subscription went meanwhile): the caller decides.
        session.rollback()
        raise
    try:
        send_message(smtp, to_mime(email, smtp.sender, message_id_for(key, smtp.sender)))
    except Exception as exc:
        session.rollback()
        notification_id = _record_failure(session, key, exc)
        raise DeliveryFailed(notification_id, kind, exc) from None
    notification.status = DeliveryStatus.SENT
    notification.sent_at = datetime.now(UTC)
    notification.last_error = None
    session.commit()
    return True


def _record_failure(session: Session, key: str, exc: Exception) -> int:
    notification = session.scalars(
        select(Notification).where(Notification.idempotency_key == key)
    ).one()
    notification.attempts += 1
    notification.status = DeliveryStatus.FAILED
    notification.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_LIMIT]
    session.commit()
    return notification.id


class DeliveryFailed(Exception):
    """A notification was not delivered. Its text names the notification and the error's
    kind and SMTP code only: a mail server's reply may quote the recipient's address, and
    this text ends up in worker logs and the failed-job list. The full reply is kept on the
    notification row (last_error)."""

    def __init__(self, notification_id: int, kind: str, cause: Exception) -> None:
        code = getattr(cause, "smtp_code", None) or getattr(cause, "errno", None)
        detail = f"{type(cause).__name__}" + (f" {code}" if code else "")
        super().__init__(f"Notification {notification_id} ({kind}) not delivered: {detail}")
        self.notification_id = notification_id

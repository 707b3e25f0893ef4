"""Housekeeping the nightly job does: keep only what is still needed."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from feedbackgis.models import Notification, OutboxMessage

# Done outbox rows (and their jobs) are kept a while for debugging a missing notification,
# then dropped.
OUTBOX_KEEP = timedelta(days=30)
# Notification rows hold email addresses (personal data, GDPR): kept long enough to answer
# "did they get told?" and to keep a late retry from sending twice, then deleted.
NOTIFICATIONS_KEEP = timedelta(days=180)


def prune_outbox(session: Session, now: datetime) -> int:
    """Delete outbox rows done more than OUTBOX_KEEP ago; rows not done are never touched."""
    result = session.execute(
        delete(OutboxMessage).where(OutboxMessage.done_at < now - OUTBOX_KEEP)
    )
    session.commit()
    return result.rowcount


def prune_notifications(session: Session, now: datetime) -> int:
    """Delete notification records (with their addresses) older than NOTIFICATIONS_KEEP."""
    result = session.execute(
        delete(Notification).where(Notification.created_at < now - NOTIFICATIONS_KEEP)
    )
    session.commit()
    return result.rowcount

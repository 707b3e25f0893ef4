"""Recording side effects in the caller's transaction (the transactional outbox)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from feedbackgis.models import OutboxMessage, OutboxTopic


def record_side_effect(session: Session, topic: OutboxTopic, **payload: Any) -> OutboxMessage:
    """Add an outbox row; it commits or rolls back together with the change that caused it."""
    message = OutboxMessage(topic=OutboxTopic(topic).value, payload=payload)
    session.add(message)
    return message

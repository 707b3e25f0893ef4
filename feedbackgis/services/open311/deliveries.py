"""Deliveries to parties' own Open311 systems, for admins: those not sent (pending or failed)
and the latest sent, and a failed one sent again (the same job, through the outbox)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.errors import Conflict, NotFound
from feedbackgis.models import OutboxTopic, Party
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change
from feedbackgis.services.outbox import record_side_effect

LATEST_SENT = 50
NOT_SENT_LIMIT = 500


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    report_id: int
    party_id: int
    party_name: str
    state: DeliveryState
    attempts: int
    last_error: str | None
    service_request_id: str | None
    token: str | None
    changed_at: datetime


@dataclass(frozen=True)
class DeliveryListing:
    not_sent: list[DeliveryRow]  # failed first, then pending, oldest first
    latest_sent: list[DeliveryRow]  # newest first


def list_deliveries(session: Session) -> DeliveryListing:
    query = (select(Open311Delivery, Party.name).join(Party, Party.id == Open311Delivery.party_id))
    not_sent = session.execute(
        query.where(Open311Delivery.state != DeliveryState.SENT)
        .order_by((Open311Delivery.state == DeliveryState.PENDING), Open311Delivery.id)
        .limit(NOT_SENT_LIMIT)).all()
    sent = session.execute(
        query.where(Open311Delivery.state == DeliveryState.SENT)
        .order_by(Open311Delivery.sent_at.desc(), Open311Delivery.id.desc())
        .limit(LATEST_SENT)).all()
    return DeliveryListing([_row(d, name) for d, name in not_sent],
                           [_row(d, name) for d, name in sent])


def _row(delivery: Open311Delivery, party_name: str) -> DeliveryRow:
    return DeliveryRow(delivery.id, delivery.report_id, delivery.party_id, party_name,
                       delivery.state, delivery.attempts, delivery.last_error,
                       delivery.service_request_id, delivery.token,
                       delivery.sent_at or delivery.updated_at or delivery.created_at)


def send_again(session: Session, delivery_id: int, *, actor: ChangeActor = SYSTEM) -> None:
    """A failed delivery pending again, and the sending job set going by an outbox row in
    the same transaction; commits. Only a failed one: a pending one is still being tried."""
    delivery = session.scalars(select(Open311Delivery).where(Open311Delivery.id == delivery_id)
                               .with_for_update()).one_or_none()
    if delivery is None:
        raise NotFound(f"No Open311 delivery {delivery_id}.", field="delivery")
    if delivery.state is not DeliveryState.FAILED:
        raise Conflict(f"Open311 delivery {delivery_id} is {delivery.state.value}, not failed.",
                       field="delivery")
    delivery.state, delivery.updated_at = DeliveryState.PENDING, datetime.now(UTC)
    record_side_effect(session, OutboxTopic.OPEN311_SEND_AGAIN, report_id=delivery.report_id,
                       party_id=delivery.party_id)
    record_change(session, actor, Entity.PARTY, delivery.party_id, "open311_send_again",
                  {"report_id": delivery.report_id, "open311_delivery": "failed"},
                  {"report_id": delivery.report_id, "open311_delivery": "pending"})
    session.commit()

"""Deliveries to parties' own Open311 systems, for admins: those not sent (pending or failed)
and the latest sent, how each party's updates were last pulled, and a failed one sent again
(the same job, through the outbox) — or a pending one no attempt touched for DELIVERY_STALE
(a worker that died during the call leaves it so)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.errors import Conflict, NotFound
from feedbackgis.models import OutboxTopic, Party
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change
from feedbackgis.services.outbox import record_side_effect

LATEST_SENT = 50
NOT_SENT_LIMIT = 500
DELIVERY_STALE = timedelta(minutes=15)  # far longer than an attempt and its retry waits


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
    stale: bool  # failed, or pending untouched for DELIVERY_STALE: it may be sent again


@dataclass(frozen=True)
class PullRow:
    """How a party's system was last asked for its updates."""

    party_id: int
    party_name: str
    pulled_at: datetime | None
    error: str | None
    error_at: datetime | None


@dataclass(frozen=True)
class DeliveryListing:
    not_sent: list[DeliveryRow]  # failed first, then pending, oldest first
    latest_sent: list[DeliveryRow]  # newest first
    pulls: list[PullRow]  # each party with an Open311 system, by name


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
    now = datetime.now(UTC)
    return DeliveryListing([_row(d, name, now) for d, name in not_sent],
                           [_row(d, name, now) for d, name in sent], _pulls(session))


def _pulls(session: Session) -> list[PullRow]:
    parties = session.scalars(select(Party).where(Party.open311_url.is_not(None))
                              .order_by(Party.name))
    return [PullRow(p.id, p.name, p.open311_pulled_at, p.open311_pull_error,
                    p.open311_pull_error_at) for p in parties]


def _row(delivery: Open311Delivery, party_name: str, now: datetime) -> DeliveryRow:
    return DeliveryRow(delivery.id, delivery.report_id, delivery.party_id, party_name,
                       delivery.state, delivery.attempts, delivery.last_error,
                       delivery.service_request_id, delivery.token,
                       delivery.sent_at or delivery.updated_at or delivery.created_at,
                       _may_send_again(delivery, now))


def _may_send_again(delivery: Open311Delivery, now: datetime) -> bool:
    if delivery.state is DeliveryState.FAILED:
        return True
    touched = delivery.updated_at or delivery.created_at
    return delivery.state is DeliveryState.PENDING and touched < now - DELIVERY_STALE


def send_again(session: Session, delivery_id: int, *, actor: ChangeActor = SYSTEM) -> None:
    """A failed delivery (or a stale pending one) pending again, and the sending job set
    going by an outbox row in the same transaction; commits. A pending one touched within
    DELIVERY_STALE is still being tried: refused."""
    delivery = session.scalars(select(Open311Delivery).where(Open311Delivery.id == delivery_id)
                               .with_for_update()).one_or_none()
    if delivery is None:
        raise NotFound(f"No Open311 delivery {delivery_id}.", field="delivery")
    if not _may_send_again(delivery, datetime.now(UTC)):
        minutes = int(DELIVERY_STALE.total_seconds() // 60)
        detail = (f"is still being tried; it can be sent again once it has waited {minutes} "
                  "minutes" if delivery.state is DeliveryState.PENDING
                  else "was sent already")
        raise Conflict(f"Open311 delivery {delivery_id} {detail}.", field="delivery")
    before = delivery.state.value
    delivery.state, delivery.updated_at = DeliveryState.PENDING, datetime.now(UTC)
    record_side_effect(session, OutboxTopic.OPEN311_SEND_AGAIN, report_id=delivery.report_id,
                       party_id=delivery.party_id)
    record_change(session, actor, Entity.PARTY, delivery.party_id, "open311_send_again",
                  {"report_id": delivery.report_id, "open311_delivery": before},
                  {"report_id": delivery.report_id, "open311_delivery": "pending"})
    session.commit()

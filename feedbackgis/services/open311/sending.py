"""Sending a report to the Open311 system of the party it is assigned to, at most once.

The Open311Delivery row is the record, claimed like deliver_once claims a notification
(services/notifications/delivery.py): created (or found) by (report, party), locked while the
party's system is asked, and marked sent in the same breath, so a job run twice, or a
duplicate running at the same time, sends once. A failure is recorded on the row (attempts,
last_error) and raised, so the job's retry policy applies; on the last attempt the row is
FAILED, for an admin to see and send again (services/open311/deliveries.py). The only window
for a second copy is a crash between the system's answer and our commit, and every attempt
carries the same Idempotency-Key (report, party, assignment), so a system that honours it
answers a retry with the request it made. Any exception is recorded (an error of ours too),
so no row stays pending without a word; a row left pending by a worker that died is sent
again by an admin once it is DELIVERY_STALE (services/open311/deliveries.py).

A report the party's system referred back (to triage) and the city assigned to that party
again is sent again: when the latest assignment to the party is newer than the row's
sent_at, the row is sent anew under the new assignment's key; its new service_request_id
replaces the old (updates of the request referred back are no longer ours to apply) and
last_error keeps the old one for the admins.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from feedbackgis.models import EventKind, Party, Report, ReportEvent
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.open311.party_system import (
    idempotency_key,
    post_request,
    redacted,
)
from feedbackgis.services.open311.sending_form import Open311SendSettings, request_form

log = logging.getLogger(__name__)
ERROR_TEXT_LIMIT = 2000


def send_report(session: Session, settings: Open311SendSettings, *, report_id: int,
                party_id: int, last_attempt: bool) -> bool:
    """POST the report to the party's system unless it was sent there already; True if
    sent now. Raises Open311CallFailed after recording the failure (FAILED on the last
    attempt)."""
    report = session.get(Report, report_id)
    party = session.get(Party, party_id)
    if party is None or not party.open311_url:
        return False
    if report is None or report.assigned_party_id != party_id:
        _forget_unsent(session, report_id, party_id)  # the new party's own job sends it
        return False
    delivery = _claim(session, report_id, party_id)
    assignment_id, assigned_at = _latest_assignment(session, report_id, party_id)
    if delivery.state is DeliveryState.SENT and not _assigned_again(delivery, assigned_at):
        session.rollback()
        return False
    # Sent before (and assigned again since): the earlier request, for last_error.
    previous = (delivery.service_request_id or delivery.token) if delivery.sent_at else None
    try:
        form = request_form(session, settings, report, party)
        created = post_request(party, form, settings.timeout, idempotency=idempotency_key(
            report_id, party_id, assignment_id or 0))
    except Exception as exc:
        # Recorded whatever it is, so the row never stays pending without a word.
        session.rollback()
        _record_failure(session, report_id, party_id, redacted(
            party, str(exc) or type(exc).__name__, ERROR_TEXT_LIMIT), last_attempt)
        raise
    now = datetime.now(UTC)
    delivery.attempts += 1
    delivery.state, delivery.sent_at, delivery.updated_at = DeliveryState.SENT, now, now
    delivery.service_request_id, delivery.token = created.service_request_id, created.token
    delivery.last_error = (f"Sent again when assigned again; the earlier request was "
                           f"{previous}" if previous else None)
    session.commit()
    return True


def _latest_assignment(session: Session, report_id: int,
                       party_id: int) -> tuple[int | None, datetime | None]:
    """The latest ASSIGNED event that gave the report to the party: its id (the
    Idempotency-Key's assignment) and when."""
    row = session.execute(
        select(ReportEvent.id, ReportEvent.created_at)
        .where(ReportEvent.report_id == report_id, ReportEvent.kind == EventKind.ASSIGNED,
               ReportEvent.data["party_id"].as_integer() == party_id)
        .order_by(ReportEvent.id.desc()).limit(1)).first()
    return (row.id, row.created_at) if row else (None, None)


def _assigned_again(delivery: Open311Delivery, assigned_at: datetime | None) -> bool:
    return (assigned_at is not None and delivery.sent_at is not None
            and assigned_at > delivery.sent_at)


def _claim(session: Session, report_id: int, party_id: int) -> Open311Delivery:
    session.execute(insert(Open311Delivery)
                    .values(report_id=report_id, party_id=party_id,
                            state=DeliveryState.PENDING)
                    .on_conflict_do_nothing(index_elements=["report_id", "party_id"]))
    session.commit()
    # The lock makes a duplicate job running at the same time wait, then see "sent".
    return session.scalars(
        select(Open311Delivery).where(Open311Delivery.report_id == report_id,
                                      Open311Delivery.party_id == party_id)
        .with_for_update().execution_options(populate_existing=True)).one()


def _record_failure(session: Session, report_id: int, party_id: int, error: str,
                    last_attempt: bool) -> None:
    delivery = session.scalars(
        select(Open311Delivery).where(Open311Delivery.report_id == report_id,
                                      Open311Delivery.party_id == party_id)
        .with_for_update().execution_options(populate_existing=True)).one()
    delivery.attempts += 1
    delivery.last_error = error[:ERROR_TEXT_LIMIT]
    delivery.updated_at = datetime.now(UTC)
    # Pending while retries remain (it may have been FAILED before an admin sent it again).
    delivery.state = DeliveryState.FAILED if last_attempt else DeliveryState.PENDING
    if last_attempt:
        log.error("Open311 delivery %s (report %s) failed for good: %s", delivery.id,
                  report_id, error)
    session.commit()


def _forget_unsent(session: Session, report_id: int, party_id: int) -> None:
    """A delivery not yet made to a party that no longer holds the report is no longer
    owed (a sent one stays, the record of what that system has)."""
    session.execute(delete(Open311Delivery).where(
        Open311Delivery.report_id == report_id, Open311Delivery.party_id == party_id,
        Open311Delivery.state != DeliveryState.SENT))
    session.commit()

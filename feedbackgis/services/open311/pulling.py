"""Pulling back what a party's own Open311 system did with the reports sent to it: tokens
resolved to ids (tokens/{token}), and its updates (mySociety's servicerequestupdates) applied
to our reports through services/open311/received_updates.py.

Updates are read in windows of at most MAX_WINDOW from the party's open311_updates_until on;
the mark moves only over windows read in full, so a system that is down is asked again for
the same window next time. The window that reaches the present leaves the mark at its newest
update or OVERLAP before its end, whichever is later, for updates the other side records a
moment late: an update read twice is applied once (by its update_id). An update that cannot
be applied (a status change our rules refuse) is logged and skipped, never retried forever;
one for a request we never sent is ignored.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.errors import ServiceError
from feedbackgis.models import Party
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.open311.party_system import Open311CallFailed, get_json
from feedbackgis.services.open311.received_updates import (
    ReceivedUpdate,
    UpdateSender,
    apply_received_update,
)

log = logging.getLogger(__name__)
MAX_WINDOW = timedelta(days=90)  # the spec's longest start_date..end_date
OVERLAP = timedelta(minutes=5)
MAX_WINDOWS = 8  # per pull: a long outage is caught up over a few runs


@dataclass
class PullOutcome:
    applied: int = 0
    skipped: int = 0  # refused by our rules, or for a request we never sent
    tokens_resolved: int = 0
    failed: bool = False  # the system did not answer: the mark did not move


def parties_to_pull(session: Session) -> list[int]:
    return list(session.scalars(select(Party.id).where(
        Party.active.is_(True), Party.open311_url.is_not(None)).order_by(Party.id)))


def pull_party(session: Session, party_id: int, *, timeout: float, now: datetime,
               time_zone: str) -> PullOutcome:
    outcome = PullOutcome()
    party = session.get(Party, party_id)
    if party is None or not party.open311_url:
        return outcome
    try:
        outcome.tokens_resolved = _resolve_tokens(session, party, timeout)
        start = party.open311_updates_until or _first_sent(session, party_id)
        for _ in range(MAX_WINDOWS):
            if start is None or start >= now:
                break
            end = min(start + MAX_WINDOW, now)
            newest = _apply_window(session, party, _updates(party, start, end, timeout),
                                   outcome, time_zone)
            reached_now = end >= now
            # Up to now: the newest update seen, or OVERLAP before the end, whichever is later.
            start = max(start, end - OVERLAP, min(newest or start, end)) if reached_now else end
            party = session.get(Party, party_id)  # the updates' commits expired it
            party.open311_updates_until = start
            session.commit()
            if reached_now:
                break
    except Open311CallFailed as exc:
        session.rollback()
        outcome.failed = True
        log.warning("%s; its updates are asked for again next time", exc)
    return outcome


def _first_sent(session: Session, party_id: int) -> datetime | None:
    """Where the first pull starts: when the first report was sent there."""
    return session.scalar(select(func.min(Open311Delivery.sent_at)).where(
        Open311Delivery.party_id == party_id))


def _resolve_tokens(session: Session, party: Party, timeout: float) -> int:
    """Ask for the ids of requests the system had answered with a token only."""
    waiting = session.scalars(select(Open311Delivery).where(
        Open311Delivery.party_id == party.id, Open311Delivery.state == DeliveryState.SENT,
        Open311Delivery.service_request_id.is_(None), Open311Delivery.token.is_not(None))
        .order_by(Open311Delivery.id).limit(200)).all()
    resolved = 0
    for delivery in waiting:
        try:
            body = get_json(party, f"tokens/{quote(delivery.token, safe='')}.json", {}, timeout)
        except Open311CallFailed as exc:
            # Not fatal: a token the system does not know yet must not hold up the updates.
            log.info("%s (delivery %s); asked again next time", exc, delivery.id)
            continue
        first = body[0] if isinstance(body, list) and body else body
        found = first.get("service_request_id") if isinstance(first, dict) else None
        if found not in (None, ""):
            delivery.service_request_id = str(found)[:200]
            delivery.updated_at = datetime.now(UTC)
            resolved += 1
    session.commit()
    return resolved


def _updates(party: Party, start: datetime, end: datetime, timeout: float) -> list[Any]:
    body = get_json(party, "servicerequestupdates.json",
                    {"start_date": _w3c(start), "end_date": _w3c(end)}, timeout)
    # A list, or (as some systems translate the XML) a list under service_request_updates,
    # itself perhaps under request_update.
    if isinstance(body, dict):
        body = body.get("service_request_updates", [])
    if isinstance(body, dict):
        body = body.get("request_update", [])
    if isinstance(body, dict):
        body = [body]
    if not isinstance(body, list):
        raise Open311CallFailed(f"Open311 GET servicerequestupdates of party {party.id}: "
                                "an answer of an unexpected shape")
    return [item for item in body if isinstance(item, dict)]


def _apply_window(session: Session, party: Party, updates: list[dict[str, Any]],
                  outcome: PullOutcome, time_zone: str) -> datetime | None:
    """Apply the window's updates; returns the newest updated_datetime among them."""
    party_id = party.id
    sender = UpdateSender(api_key_id=None, party_id=party_id)
    report_ids = _reports_of(session, party_id, {str(u.get("service_request_id") or "")
                                                 for u in updates})
    newest: datetime | None = None
    for item in updates:
        report_id = report_ids.get(str(item.get("service_request_id") or ""))
        update = _received(item)
        if update is not None and update.updated_at is not None:
            newest = max(newest or update.updated_at, update.updated_at)
        if report_id is None or update is None:
            outcome.skipped += 1
            continue
        try:
            apply_received_update(session, sender, report_id, update, time_zone=time_zone)
        except ServiceError as exc:
            session.rollback()
            outcome.skipped += 1
            log.warning("Open311 update %r of party %s for report %s not applied: %s",
                        update.update_id, party_id, report_id, exc)
            continue
        outcome.applied += 1
    return newest


def _reports_of(session: Session, party_id: int, request_ids: set[str]) -> dict[str, int]:
    request_ids.discard("")
    if not request_ids:
        return {}
    rows = session.execute(select(Open311Delivery.service_request_id, Open311Delivery.report_id)
                           .where(Open311Delivery.party_id == party_id,
                                  Open311Delivery.service_request_id.in_(request_ids)))
    return {request_id: report_id for request_id, report_id in rows}


def _received(item: dict[str, Any]) -> ReceivedUpdate | None:
    update_id = str(item.get("update_id") or "").strip()[:200]
    if not update_id:
        return None
    return ReceivedUpdate(update_id=update_id, status=_text(item.get("status")),
                          description=_text(item.get("description")),
                          updated_at=_datetime(item.get("updated_datetime")),
                          media_url=_text(item.get("media_url")))


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None


def _datetime(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

"""Pulling back what a party's own Open311 system did with the reports sent to it: tokens
resolved to ids (tokens/{token}), and its updates (mySociety's servicerequestupdates) applied
to our reports through services/open311/received_updates.py.

Updates are read in windows of at most MAX_WINDOW from the party's open311_updates_until on;
the mark moves only over windows read in full, so a system that is down is asked again for
the same window next time. The window that reaches the present leaves the mark at its newest
update or OVERLAP before its end, whichever is earlier, for updates the other side records a
moment late: an update read twice is applied once (by its update_id). An update that cannot
be applied (a status change our rules refuse, or text the database refuses) is logged and
skipped, never retried forever; one for a request we never sent is ignored. What the system
answered is cleaned first (control characters out, a description only if it is text, a time
without an offset in the municipality's zone, as POST reads it).

Each pull is recorded on the party for the admins: when it last went through, and the last
failure's text (without the URL or the key) and when, cleared by the next success.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from feedbackgis.domain.fix_check import DEFAULT_FIX_CHECK_DAYS
from feedbackgis.domain.local_time import aware
from feedbackgis.errors import ServiceError
from feedbackgis.models import Party
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.open311.party_system import (
    Open311CallFailed,
    get_json,
    plain_text,
    redacted,
)
from feedbackgis.services.open311.received_updates import (
    ReceivedUpdate,
    UpdateSender,
    apply_received_update,
)

log = logging.getLogger(__name__)
MAX_WINDOW = timedelta(days=90)  # the spec's longest start_date..end_date
OVERLAP = timedelta(minutes=5)
MAX_WINDOWS = 8  # per pull: a long outage is caught up over a few runs
TOKENS_PER_PULL = 200  # the least recently asked first, so none holds up the others
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


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
               time_zone: str, fix_check_days: int = DEFAULT_FIX_CHECK_DAYS) -> PullOutcome:
    outcome = PullOutcome()
    party = session.get(Party, party_id)
    if party is None or not party.open311_url:
        return outcome
    try:
        outcome.tokens_resolved = _resolve_tokens(session, party, timeout)
        _pull_updates(session, party_id, outcome, timeout=timeout, now=now,
                      zone=(time_zone, fix_check_days))
    except Open311CallFailed as exc:
        session.rollback()
        outcome.failed = True
        log.warning("%s; its updates are asked for again next time", exc)
        record_pull_error(session, party_id, str(exc))
        return outcome
    party = session.get(Party, party_id)
    party.open311_pulled_at = datetime.now(UTC)
    party.open311_pull_error = party.open311_pull_error_at = None
    session.commit()
    return outcome


def record_pull_error(session: Session, party_id: int, error: str) -> None:
    """The failure on the party for the admins (the text without the key); commits."""
    party = session.get(Party, party_id)
    if party is not None:
        party.open311_pull_error = redacted(party, error)
        party.open311_pull_error_at = datetime.now(UTC)
        session.commit()


def _pull_updates(session: Session, party_id: int, outcome: PullOutcome, *, timeout: float,
                  now: datetime, zone: tuple[str, int]) -> None:
    party = session.get(Party, party_id)
    start = party.open311_updates_until or _first_sent(session, party_id)
    for _ in range(MAX_WINDOWS):
        if start is None or start >= now:
            return
        end = min(start + MAX_WINDOW, now)
        newest = _apply_window(session, party, _updates(party, start, end, timeout),
                               outcome, zone)
        reached_now = end >= now
        # Up to now: the newest update seen or OVERLAP before the end, whichever is
        # earlier (an update recorded late is read next time; a repeat is applied once).
        start = max(start, min(end - OVERLAP, newest or end)) if reached_now else end
        party = session.get(Party, party_id)  # the updates' commits expired it
        party.open311_updates_until = start
        session.commit()
        if reached_now:
            return


def _first_sent(session: Session, party_id: int) -> datetime | None:
    """Where the first pull starts: when the first report was sent there."""
    return session.scalar(select(func.min(Open311Delivery.sent_at)).where(
        Open311Delivery.party_id == party_id))


def _resolve_tokens(session: Session, party: Party, timeout: float) -> int:
    """Ask for the ids of requests the system had answered with a token only."""
    waiting = session.scalars(select(Open311Delivery).where(
        Open311Delivery.party_id == party.id, Open311Delivery.state == DeliveryState.SENT,
        Open311Delivery.service_request_id.is_(None), Open311Delivery.token.is_not(None))
        # Asking marks the row (updated_at), so those that never resolve take their turn
        # behind the newer ones instead of holding the first places for ever.
        .order_by(Open311Delivery.updated_at.asc().nulls_first(), Open311Delivery.id)
        .limit(TOKENS_PER_PULL)).all()
    resolved = 0
    for delivery in waiting:
        delivery.updated_at = datetime.now(UTC)
        try:
            body = get_json(party, f"tokens/{quote(delivery.token, safe='')}.json", {}, timeout)
        except Open311CallFailed as exc:
            # Not fatal: a token the system does not know yet must not hold up the updates.
            log.info("%s (delivery %s); asked again next time", exc, delivery.id)
            continue
        first = body[0] if isinstance(body, list) and body else body
        found = plain_text(first.get("service_request_id")) if isinstance(first, dict) else None
        if found is not None:
            delivery.service_request_id = found
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
                  outcome: PullOutcome, zone: tuple[str, int]) -> datetime | None:
    """Apply the window's updates; returns the newest updated_datetime among them."""
    party_id, (time_zone, fix_check_days) = party.id, zone
    sender = UpdateSender(api_key_id=None, party_id=party_id)
    report_ids = _reports_of(session, party_id, {plain_text(u.get("service_request_id")) or ""
                                                 for u in updates})
    newest: datetime | None = None
    for item in updates:
        report_id = report_ids.get(plain_text(item.get("service_request_id")) or "")
        update = _received(item, time_zone)
        if update is not None and update.updated_at is not None:
            newest = max(newest or update.updated_at, update.updated_at)
        if report_id is None or update is None:
            outcome.skipped += 1
            continue
        try:
            apply_received_update(session, sender, report_id, update, time_zone=time_zone,
                                  fix_check_days=fix_check_days)
        except (ServiceError, SQLAlchemyError) as exc:
            # One update that cannot be taken must not hold up the rest, nor come back.
            session.rollback()
            outcome.skipped += 1
            log.warning("Open311 update %r of party %s for report %s not applied: %s",
                        update.update_id, party_id, report_id,
                        redacted(party, str(exc).splitlines()[0] if str(exc) else
                                 type(exc).__name__))
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


def _received(item: dict[str, Any], time_zone: str) -> ReceivedUpdate | None:
    update_id = plain_text(item.get("update_id"), limit=None)
    if update_id is None:
        return None
    return ReceivedUpdate(update_id=update_id, status=plain_text(item.get("status"), limit=None),
                          description=_description(item.get("description")),
                          updated_at=_datetime(item.get("updated_datetime"), time_zone),
                          media_url=plain_text(item.get("media_url"), limit=None))


def _description(value: Any) -> str | None:
    """Only text (never the repr of a list or an object), its lines kept."""
    return _CONTROL_BUT_LINES.sub("", value).strip() or None if isinstance(value, str) else None


def _datetime(value: Any, time_zone: str) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return aware(datetime.fromisoformat(value.strip()), time_zone)
    except ValueError:
        return None


def _w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

"""Bringing the figures' rollups up to date (models/figures.py says what they hold).

Every few minutes the months whose reports changed since the last run are counted again;
nightly, every month is (a report deleted by retention leaves no change to find). A
refresh looks back a margin before the start of the last one: a transaction that began
before it but committed after it wrote an updated_at older than that start.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from feedbackgis.domain.months import month_bounds
from feedbackgis.models import FigureRefresh
from feedbackgis.repositories.figures import (
    ensure_state_row,
    months_changed_since,
    recount_everything,
    recount_month,
)

LOOK_BACK = timedelta(minutes=15)
_THE_ROW = 1


@dataclass(frozen=True)
class RefreshOutcome:
    months: tuple[date, ...]  # the months counted again; empty for a full refresh
    full: bool


def _state(session: Session) -> FigureRefresh:
    """The state row, locked: a second refresh waits for the first (migration 0010 made
    the row; ensure_state_row puts it back on a database emptied by hand)."""
    ensure_state_row(session)
    return session.get(FigureRefresh, _THE_ROW, with_for_update=True, populate_existing=True)


def refresh_changed_figures(session: Session, time_zone: str,
                            now: datetime | None = None) -> RefreshOutcome:
    """Count again the months with changed reports; a first run counts everything. Commits.
    Runs one at a time (the state row is locked): two would only repeat the same work."""
    now = now or datetime.now(UTC)
    state = _state(session)
    if state.changed_since is None:
        return _full(session, state, time_zone, now)
    months = months_changed_since(session, state.changed_since - LOOK_BACK, time_zone)
    for month in months:
        begins, ends = month_bounds(month, time_zone)
        recount_month(session, begins, ends, month, time_zone)
    state.changed_since, state.refreshed_at = now, now
    session.commit()
    return RefreshOutcome(months=tuple(months), full=False)


def refresh_all_figures(session: Session, time_zone: str,
                        now: datetime | None = None) -> RefreshOutcome:
    """Count every month again. Commits."""
    return _full(session, _state(session), time_zone, now or datetime.now(UTC))


def _full(session: Session, state: FigureRefresh, time_zone: str,
          now: datetime) -> RefreshOutcome:
    recount_everything(session, time_zone)
    state.changed_since = state.refreshed_at = state.full_refresh_at = now
    session.commit()
    return RefreshOutcome(months=(), full=True)


def figures_refreshed_at(session: Session) -> datetime | None:
    state = session.get(FigureRefresh, _THE_ROW)
    return state.refreshed_at if state is not None else None

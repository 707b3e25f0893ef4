"""set_due_date: when an assigned report is due, from its zone's or its category's handling time.

Called wherever a report becomes ASSIGNED (routing at submission, reassignment by staff),
in the caller's transaction. The calendar rules are domain/due_dates.py's.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from feedbackgis.domain import due_dates
from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.models import Report, Zone


def handling_days_of(session: Session, report: Report) -> int:
    """The contract's handling time in the report's zone when the zone sets one, else its
    category's."""
    if report.assigned_zone_id is not None:
        # The column alone: loading the zone would read its polygon (a city district's
        # boundary can be thousands of vertices) on every submission.
        days = session.scalar(select(Zone.handling_days)
                              .where(Zone.id == report.assigned_zone_id))
        if days is not None:
            return days
    return report.category.handling_days


def set_due_date(session: Session, report: Report, now: datetime | None = None, *,
                 time_zone: str = DEFAULT_TIME_ZONE, handling_days: int | None = None
                 ) -> datetime:
    """Set the report's due date counted from `now` (its assignment) and start its
    escalation afresh: a new party gets its own full handling time. Does not commit.

    `time_zone`: the municipality's (config TIMEZONE), whose calendar days are counted.
    `handling_days`: handling_days_of the report, when the caller has read it already.
    """
    assigned_at = now or datetime.now(UTC)
    days = handling_days if handling_days is not None else handling_days_of(session, report)
    report.due_at = due_dates.due_at(assigned_at, days, time_zone)
    report.escalation_level = 0
    return report.due_at


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """SQL: the report is open and past its due date (for the inbox's "late" filter and
    sorting; the same rule as domain/due_dates.is_overdue)."""
    return and_(Report.due_at < now, Report.status.in_(sorted(OPEN_STATUSES)))

"""The fix check's life: opened when a report enters FIXED, ended when it leaves FIXED or
runs out (the hourly job). The answers are services/reports/fix_answers.py; the rules are
domain/fix_check.py.

Entering FIXED asks the reporter and the followers "is it fixed?" (REPORT_FIX_CHECK_STARTED).
That email carries the news of the change too, so the ordinary update emails leave out an
event that started a check (services/notifications/report_notifications.py): one email,
not two.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackgis.domain.fix_check import FIX_CHECK_KEY, check_ends_at
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import OutboxTopic, Report, ReportEvent
from feedbackgis.services.outbox import record_side_effect

BATCH_SIZE = 500


def follow_fix_check(session: Session, report: Report, event: ReportEvent, *, days: int,
                     now: datetime | None = None) -> None:
    """After `event` (flushed) moved `report`: a move into FIXED opens a check of `days`
    and records the question; any other move ends a check still open. Does not commit."""
    if event.to_status != ReportStatus.FIXED:
        report.fix_check_until = None
        return
    until = check_ends_at(now or datetime.now(UTC), days)
    report.fix_check_until = until
    # A new dict: SQLAlchemy sees a reassigned JSONB value, not one changed in place.
    event.data = {**(event.data or {}), FIX_CHECK_KEY: until.isoformat()}
    record_side_effect(session, OutboxTopic.REPORT_FIX_CHECK_STARTED, report_id=report.id,
                       event_id=event.id)


def starts_fix_check(event: ReportEvent) -> bool:
    """Whether `event` opened a fix check (its question email tells the change itself)."""
    return FIX_CHECK_KEY in (event.data or {})


def is_current_check(report: Report, event: ReportEvent) -> bool:
    """Whether `event` opened the check `report` is in now (not an earlier one since ended
    by an answer, a change of status or time)."""
    if report.status != ReportStatus.FIXED or report.fix_check_until is None:
        return False
    started = (event.data or {}).get(FIX_CHECK_KEY)
    return started is not None and datetime.fromisoformat(started) == report.fix_check_until


def end_expired_fix_checks(session: Session, now: datetime,
                           batch_size: int = BATCH_SIZE) -> int:
    """Clear the checks that ran out by `now` (their reports stay fixed); commits each
    batch and returns how many ended. Rows being answered right now are skipped (locked)
    and ended by a later run if their answer does not end them first."""
    total = 0
    while True:
        candidates = (select(Report.id)
                      .where(Report.fix_check_until <= now)
                      .order_by(Report.fix_check_until, Report.id)
                      .limit(batch_size)
                      .with_for_update(skip_locked=True))
        ended = session.execute(
            update(Report)
            .where(Report.id.in_(candidates.scalar_subquery()), Report.fix_check_until <= now)
            # Nothing the public sees changed: updated_at stays.
            .values(fix_check_until=None, updated_at=Report.updated_at),
            execution_options={"synchronize_session": False},
        ).rowcount
        session.commit()
        total += ended
        if ended < batch_size:
            return total

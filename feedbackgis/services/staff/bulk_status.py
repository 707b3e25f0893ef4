"""change_statuses: the inbox's bulk status change, one report at a time.

Each report goes through the status form's own door (change_status_by_staff: the user's
right to change it, the state machine, the reporter told), in a transaction of its own, so
one refused report does not hold back the others; the refused ones come back with why.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.fix_check import DEFAULT_FIX_CHECK_DAYS
from feedbackgis.domain.permissions import Action
from feedbackgis.domain.statuses import STAFF_CHOSEN, ReportStatus
from feedbackgis.errors import Conflict, Forbidden, InvalidInput, NotFound
from feedbackgis.models import Report, StaffUser
from feedbackgis.services.reports.status import change_status_by_staff
from feedbackgis.services.staff.access import user_may
from feedbackgis.services.staff.assignment import BulkResult, Refusal


def chosen_status(value: str) -> ReportStatus:
    """A status the status form sets, or InvalidInput naming the field."""
    try:
        status = ReportStatus(value)
    except ValueError:
        status = None
    if status not in STAFF_CHOSEN:
        choices = ", ".join(sorted(STAFF_CHOSEN))
        raise InvalidInput(f"Choose one of the statuses {choices}.", field="status")
    return status


def change_statuses(session: Session, report_ids: Iterable[int], target: ReportStatus, *,
                    by: StaffUser, time_zone: str = DEFAULT_TIME_ZONE,
                    fix_check_days: int = DEFAULT_FIX_CHECK_DAYS) -> BulkResult:
    """Move each report to `target` (one of STAFF_CHOSEN); each change commits."""
    target = chosen_status(target)
    result = BulkResult()
    for report_id in sorted(set(report_ids)):
        refusal = _change_one(session, report_id, target, by,
                              {"time_zone": time_zone, "fix_check_days": fix_check_days})
        if refusal is None:
            result.changed.append(report_id)
        else:
            result.refused[report_id] = refusal
    return result


def _change_one(session: Session, report_id: int, target: ReportStatus,
                by: StaffUser, settings: dict[str, Any]) -> Refusal | None:
    report = session.get(Report, report_id)
    if report is not None and report.status == target and user_may(
            by, Action.VIEW_REPORT, report):
        return Refusal.UNCHANGED
    try:
        change_status_by_staff(session, report_id, target, staff_user=by, **settings)
    except NotFound:
        refusal = Refusal.NOT_FOUND
    except Forbidden:
        refusal = Refusal.FORBIDDEN
    except Conflict:
        refusal = Refusal.TRANSITION
    except InvalidInput:
        refusal = Refusal.STATUS_OWN_ACTION
    else:
        return None
    session.rollback()  # the refused report's row lock goes with its transaction
    return refusal

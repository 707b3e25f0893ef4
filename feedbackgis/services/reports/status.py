"""change_status: move a report through its statuses, with an event and its side effects.

Two doors: change_status for services (any transition the state machine allows), and
change_status_by_staff for the staff's status form (only what staff pick there, by a user
who may change the report's status). Both end in the same change, with the automatic answer
(services/reports/auto_response.py) when a template applies.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.fix_check import DEFAULT_FIX_CHECK_DAYS
from feedbackgis.domain.permissions import Action
from feedbackgis.domain.statuses import (
    CLOSED_STATUSES,
    FIXED_STATUSES,
    OPEN_STATUSES,
    STAFF_CHOSEN,
    ReportStatus,
    check_transition,
)
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.models import EventKind, OutboxTopic, Report, ReportEvent, StaffUser
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.reports.auto_response import apply_auto_response
from feedbackgis.services.reports.due_dates import set_due_date
from feedbackgis.services.reports.fix_check import follow_fix_check
from feedbackgis.services.reports.staff_replies import checked_text
from feedbackgis.services.staff.access import actor_name, check_may
from feedbackgis.services.work_orders.links import end_work_order_link, renew_work_order_link

# Why the status form does not set these: each comes with an action of its own.
OWN_ACTION = {
    ReportStatus.RECEIVED: "A report is received once, when it is submitted.",
    ReportStatus.ASSIGNED: "A report is assigned by choosing its party, not on the status "
                           "form.",
    ReportStatus.DUPLICATE: "A report becomes a duplicate by merging it into its original.",
    ReportStatus.WITHDRAWN: "Only its reporter withdraws a report, through the follow-up "
                            "link.",
}


def change_status(
    session: Session, report_id: int, target: ReportStatus, *, actor: str,
    note: str | None = None, public: bool = True, staff_user: StaffUser | None = None,
    time_zone: str = DEFAULT_TIME_ZONE, fix_check_days: int = DEFAULT_FIX_CHECK_DAYS,
    commit: bool = True,
) -> ReportEvent:
    """Change the status and commit (with commit=False, flush only: the caller commits the
    change together with its own record of it). A public change (with its note, the answer to the
    resident) is told to the reporter and the followers; an internal one is only recorded,
    unless an automatic answer makes it public. `actor` is the display name the history
    shows; `staff_user` the account that acted, when one did.

    Entering FIXED asks the reporter and the followers "is it fixed?" for `fix_check_days`
    (config FIX_CHECK_DAYS; services/reports/fix_check.py), whether or not it is public."""
    report = _locked_report(session, report_id)
    return _change(session, report, ReportStatus(target), actor=actor, note=note,
                   public=public, staff_user=staff_user, time_zone=time_zone,
                   fix_check_days=fix_check_days, commit=commit)


def change_status_by_staff(
    session: Session, report_id: int, target: ReportStatus | str, *, staff_user: StaffUser,
    note: str | None = None, public: bool = True, time_zone: str = DEFAULT_TIME_ZONE,
    fix_check_days: int = DEFAULT_FIX_CHECK_DAYS,
) -> ReportEvent:
    """The status form: `staff_user` moves the report to one of STAFF_CHOSEN; commit.

    A report the user may not see is NotFound, one they may not change Forbidden; a status
    that comes with its own action (assignment, merging, withdrawal) is InvalidInput, one the
    state machine does not allow from the current status a Conflict."""
    report = _locked_report(session, report_id)
    check_may(staff_user, Action.CHANGE_STATUS, report)
    try:
        status = ReportStatus(target)
    except ValueError:
        raise InvalidInput(f"No status '{target}'.", field="status") from None
    if status not in STAFF_CHOSEN:
        raise InvalidInput(OWN_ACTION.get(status, f"Staff do not set '{status}'."),
                           field="status")
    return _change(session, report, status, actor=actor_name(staff_user),
                   note=checked_text(note, "message", required=False), public=public,
                   staff_user=staff_user, time_zone=time_zone, fix_check_days=fix_check_days)


def _locked_report(session: Session, report_id: int) -> Report:
    # Lock the report row only: PostgreSQL refuses a plain FOR UPDATE over the outer joins
    # that load the report's category and party.
    # Read again under the lock (a bulk change may have read it before locking).
    report = session.get(Report, report_id, with_for_update={"of": Report},
                         populate_existing=True)
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    return report


def _change(session: Session, report: Report, target: ReportStatus, *, actor: str,
            note: str | None, public: bool, staff_user: StaffUser | None,
            time_zone: str = DEFAULT_TIME_ZONE,
            fix_check_days: int = DEFAULT_FIX_CHECK_DAYS, commit: bool = True) -> ReportEvent:
    try:
        check_transition(report.status, target)
    except ValueError as exc:
        raise Conflict(str(exc), field="status") from exc
    data = _clear_assignment(report) if target is ReportStatus.TRIAGE else {}
    event = ReportEvent(kind=EventKind.STATUS_CHANGED, actor=actor,
                        staff_user_id=staff_user.id if staff_user else None,
                        from_status=report.status, to_status=target, note=note,
                        is_public=public, data=data)
    reopened = report.status in FIXED_STATUSES and target in OPEN_STATUSES
    report.status = target
    if reopened and report.assigned_party_id is not None:
        # The problem came back: its party gets a full handling time again, and its
        # work order a new link (services/work_orders/links.py).
        set_due_date(session, report, time_zone=time_zone)
        renew_work_order_link(report)
    elif target not in OPEN_STATUSES or report.assigned_party_id is None:
        # Done, ended, or back in triage without a party: no link opens it any more.
        end_work_order_link(report)
    if target in CLOSED_STATUSES:
        # Ended without a fix: nothing left for a moderator to publish.
        report.moderation_pending = False
    report.events.append(event)
    session.flush()
    told = apply_auto_response(session, report, event)
    if event.is_public and not told:
        record_side_effect(session, OutboxTopic.REPORT_STATUS_CHANGED, report_id=report.id,
                           event_id=event.id)
    follow_fix_check(session, report, event, days=fix_check_days)
    if commit:
        session.commit()
    else:
        session.flush()
    return event


def _clear_assignment(report: Report) -> dict[str, Any]:
    """Back in triage the report waits for a party: it has none, so no person of one, no
    due date and no escalation. The event keeps what was cleared."""
    cleared = {
        "party_id": report.assigned_party_id, "zone_id": report.assigned_zone_id,
        "user_id": report.assigned_user_id,
        "due_at": report.due_at.isoformat() if report.due_at else None,
        "escalation_level": report.escalation_level,
    }
    report.assigned_party = None
    report.assigned_party_id = report.assigned_zone_id = report.assigned_user_id = None
    report.due_at = None
    report.escalation_level = 0
    return {"cleared_assignment": cleared}

"""Triage and reassignment by staff: give a report to a party, fix its category or its point.

A change of category or point routes the report again (services/reports/routing.py), and
whichever party it lands with is told by the usual work-order email (REPORT_ASSIGNED). The
reporter hears only what is public: the status, never the reasons or the parties passed over.
"""
from __future__ import annotations

from geoalchemy2.shape import to_shape
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.permissions import Action
from feedbackgis.domain.publication import PublishPolicy
from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus, check_transition
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.geo.convert import point, to_db
from feedbackgis.models import EventKind, OutboxTopic, Party, Report, ReportEvent, StaffUser
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.reports.auto_response import apply_auto_response
from feedbackgis.services.reports.due_dates import set_due_date
from feedbackgis.services.reports.routing import assign_report, find_routing
from feedbackgis.services.reports.submission import active_category, check_location
from feedbackgis.services.staff.access import actor_name, check_may
from feedbackgis.services.work_orders.links import renew_work_order_link


def reassign_to_party(session: Session, report_id: int, party_id: int, user: StaffUser, *,
                      time_zone: str = DEFAULT_TIME_ZONE) -> ReportEvent:
    """Give the report to party (from triage, or away from another); commits."""
    report = _open_report_for_update(session, report_id, user)
    party = session.get(Party, party_id)
    if party is None or not party.active:
        raise InvalidInput("No such party in use.", field="party")
    if party.id == report.assigned_party_id:
        raise InvalidInput(f"The report is already with {party.name}.", field="party")
    try:
        check_transition(report.status, ReportStatus.ASSIGNED)
    except ValueError as exc:
        raise Conflict(str(exc), field="status") from exc
    event = ReportEvent(
        kind=EventKind.ASSIGNED, actor=actor_name(user), staff_user_id=user.id,
        from_status=report.status, to_status=ReportStatus.ASSIGNED,
        # Public only as a change of status (out of triage); which party it was with is not.
        is_public=report.status is not ReportStatus.ASSIGNED,
        data={"party_id": party.id, "previous_party_id": report.assigned_party_id,
              "rule": "staff"})
    report.status = ReportStatus.ASSIGNED
    report.assigned_party_id, report.assigned_zone_id = party.id, None
    report.assigned_user_id = None
    renew_work_order_link(report)  # the new party's own; the old party's link ends
    report.events.append(event)
    session.flush()
    session.refresh(report, ["assigned_party"])
    set_due_date(session, report, time_zone=time_zone)
    record_side_effect(session, OutboxTopic.REPORT_ASSIGNED, report_id=report.id,
                       party_id=party.id)
    # Out of triage: the reporter gets the category's ready answer for "assigned", if any.
    if event.from_status in (ReportStatus.RECEIVED, ReportStatus.TRIAGE):
        apply_auto_response(session, report, event)
    session.commit()
    return event


def recategorise(session: Session, report_id: int, category_code: str, user: StaffUser, *,
                 time_zone: str = DEFAULT_TIME_ZONE) -> ReportEvent:
    """Put the report in another category and route it again; commits. A category never
    published takes the report off the public map."""
    report = _open_report_for_update(session, report_id, user)
    category = active_category(session, category_code)
    if category.id == report.category_id:
        raise InvalidInput("The report is in that category already.", field="category")
    event = ReportEvent(kind=EventKind.RECATEGORISED, actor=actor_name(user),
                        staff_user_id=user.id, is_public=False,
                        data={"from": report.category.code, "to": category.code})
    report.category, report.category_id = category, category.id
    report.events.append(event)
    if category.publish_policy is PublishPolicy.NEVER:
        _unpublish(report, user)
    _route_again(session, report, user, time_zone)
    return event


def _unpublish(report: Report, user: StaffUser) -> None:
    report.moderation_pending = False
    if report.is_public:
        report.is_public = False
        report.events.append(ReportEvent(
            kind=EventKind.UNPUBLISHED, actor=actor_name(user), staff_user_id=user.id,
            is_public=False, data={"reason": "category never published"}))


def relocate(session: Session, report_id: int, lon: float, lat: float, user: StaffUser, *,
             time_zone: str = DEFAULT_TIME_ZONE) -> ReportEvent:
    """Pin the report (or move its pin) and route it again; commits."""
    report = _open_report_for_update(session, report_id, user)
    check_location(session, lon, lat)
    before = to_shape(report.location) if report.location is not None else None
    event = ReportEvent(kind=EventKind.LOCATED, actor=actor_name(user), staff_user_id=user.id,
                        is_public=False,
                        data={"from": [before.x, before.y] if before is not None else None,
                              "to": [lon, lat]})
    report.location = to_db(point(lon, lat))
    report.events.append(event)
    _route_again(session, report, user, time_zone)
    return event


def _route_again(session: Session, report: Report, user: StaffUser, time_zone: str) -> None:
    """Route by the new category or point. Landing with the party that has it, the work
    goes on as it was (status, person, due date); anywhere else, it starts afresh there."""
    session.flush()
    decision = find_routing(session, report)
    if (report.status is not ReportStatus.TRIAGE
            and decision.party_id is not None and decision.party_id == report.assigned_party_id):
        report.assigned_zone_id = decision.zone_id
        session.commit()
        return
    report.assigned_user_id = None
    assign_report(session, report, actor=actor_name(user), time_zone=time_zone)
    routed = report.events[-1]
    if decision.party_id is not None:
        session.refresh(report, ["assigned_party"])
        if routed.from_status is ReportStatus.TRIAGE:
            apply_auto_response(session, report, routed)
    session.commit()


def _open_report_for_update(session: Session, report_id: int, user: StaffUser) -> Report:
    report = session.get(Report, report_id, with_for_update={"of": Report})
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    check_may(user, Action.REASSIGN, report)
    if report.status not in OPEN_STATUSES:
        raise Conflict("Only an open report can be reassigned; reopen it first.",
                       field="status")
    return report

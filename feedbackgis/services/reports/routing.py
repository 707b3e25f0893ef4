"""assign_report: route a report to a party by zone and category, and record why."""
from __future__ import annotations

from datetime import UTC, datetime

from geoalchemy2.shape import to_shape
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.routing import RoutingDecision, RoutingRule, decide_routing
from feedbackgis.domain.statuses import ReportStatus, check_transition
from feedbackgis.models import EventKind, OutboxTopic, Report, ReportEvent
from feedbackgis.repositories.zones import candidate_zones
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.reports.due_dates import set_due_date
from feedbackgis.services.work_orders.links import end_work_order_link, renew_work_order_link


def find_routing(
    session: Session, report: Report, at: datetime | None = None
) -> RoutingDecision:
    """The routing decision for a report, without changing anything."""
    at = at or datetime.now(UTC)
    candidates = []
    if report.location is not None:
        point = to_shape(report.location)
        candidates = candidate_zones(session, point.x, point.y, report.category_id, at)
    return decide_routing(candidates, report.category.default_party_id,
                          has_point=report.location is not None)


def assign_report(
    session: Session, report: Report, *, actor: str = "system", at: datetime | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> RoutingDecision:
    """Assign the report by the routing rules and record the decision as an event; an
    assigned report gets its due date (counted in `time_zone`, the municipality's).

    Does not commit: the caller's transaction covers the report and its assignment.
    """
    at = at or datetime.now(UTC)
    decision = find_routing(session, report, at)
    target = ReportStatus.TRIAGE if decision.rule is RoutingRule.TRIAGE else ReportStatus.ASSIGNED
    # Routed again and still without a party (staff fixed the category, not the gap in
    # the zones): it stays in triage, with the new decision recorded.
    if not (report.status is target is ReportStatus.TRIAGE):
        check_transition(report.status, target)
    previous = report.status
    report.status = target
    report.assigned_party_id = decision.party_id
    report.assigned_zone_id = decision.zone_id
    if target is ReportStatus.ASSIGNED:
        set_due_date(session, report, at, time_zone=time_zone)
        renew_work_order_link(report)  # the party's own; any sent before stop working
    else:
        # Nobody holds it: no person of a party, nothing due, nothing to escalate.
        report.assigned_user_id, report.due_at, report.escalation_level = None, None, 0
        end_work_order_link(report)
    report.events.append(
        ReportEvent(
            kind=EventKind.TRIAGED if target is ReportStatus.TRIAGE else EventKind.ASSIGNED,
            actor=actor,
            from_status=previous,
            to_status=target,
            # The status change is public; the reason (zones, rules) stays internal.
            is_public=True,
            data={
                "reason": decision.reason,
                "rule": decision.rule.value,
                "party_id": decision.party_id,
                "zone_id": decision.zone_id,
                "passed_over_zone_ids": list(decision.passed_over),
            },
        )
    )
    session.flush()
    record_side_effect(
        session,
        (OutboxTopic.REPORT_TRIAGED if target is ReportStatus.TRIAGE
         else OutboxTopic.REPORT_ASSIGNED),
        report_id=report.id,
        party_id=decision.party_id,
    )
    return decision

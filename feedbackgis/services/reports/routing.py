"""assign_report: route a report to a party by zone and category, and record why."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from geoalchemy2.shape import to_shape
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.routing import (
    RoutingDecision,
    RoutingRule,
    ZoneCandidate,
    decide_routing,
)
from feedbackgis.domain.statuses import ReportStatus, check_transition
from feedbackgis.models import Category, EventKind, OutboxTopic, Report, ReportEvent
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
    target = _target(decision)
    # Routed again and still without a party (staff fixed the category, not the gap in
    # the zones): it stays in triage, with the new decision recorded.
    if not (report.status is target is ReportStatus.TRIAGE):
        check_transition(report.status, target)
    report.events.append(_apply_decision(report, decision, target, actor))
    if target is ReportStatus.ASSIGNED:
        set_due_date(session, report, at, time_zone=time_zone)  # by the zone just set
    session.flush()
    record_assignment(session, report, decision)
    return decision


@dataclass(frozen=True)
class NewReportRouting:
    decision: RoutingDecision
    party_name: str | None  # whom the receipt names; None in triage
    event: ReportEvent  # the decision's, for the caller to store with the report


def route_new_report(
    session: Session, report: Report, category: Category, lon_lat: tuple[float, float] | None,
    *, at: datetime, time_zone: str = DEFAULT_TIME_ZONE, actor: str = "system",
) -> NewReportRouting:
    """assign_report for a report not yet stored, at its point `lon_lat` (None: none):
    its status, party, zone and due date are set before its INSERT, so that a submission
    writes the report once instead of inserting and then updating it twice, and the zone's
    handling time and party's name come with the zone lookup. The caller stores the
    report with the decision's event, then records the side effect (record_assignment),
    which needs the report's id.
    """
    candidates = (candidate_zones(session, *lon_lat, category.id, at)
                  if lon_lat is not None else [])
    decision = decide_routing(candidates, category.default_party_id,
                              has_point=lon_lat is not None)
    target = _target(decision)
    check_transition(report.status, target)
    event = _apply_decision(report, decision, target, actor)
    chosen = next((zone for zone in candidates if zone.zone_id == decision.zone_id), None)
    if target is ReportStatus.ASSIGNED:
        days = chosen.handling_days if chosen else None
        set_due_date(session, report, at, time_zone=time_zone,
                     handling_days=days if days is not None else category.handling_days)
    return NewReportRouting(decision, _party_name(decision, chosen, category), event)


def _party_name(decision: RoutingDecision, chosen: ZoneCandidate | None,
                category: Category) -> str | None:
    if chosen is not None:
        return chosen.party_name
    if decision.party_id is not None and category.default_party is not None:
        return category.default_party.name  # loaded with the category
    return None


def record_assignment(session: Session, report: Report, decision: RoutingDecision) -> None:
    """The assignment's side effect (the party's notification, or the triage's), once the
    report has its id."""
    record_side_effect(
        session,
        (OutboxTopic.REPORT_TRIAGED if decision.rule is RoutingRule.TRIAGE
         else OutboxTopic.REPORT_ASSIGNED),
        report_id=report.id,
        party_id=decision.party_id,
    )


def _target(decision: RoutingDecision) -> ReportStatus:
    return ReportStatus.TRIAGE if decision.rule is RoutingRule.TRIAGE else ReportStatus.ASSIGNED


def _apply_decision(report: Report, decision: RoutingDecision, target: ReportStatus,
                    actor: str) -> ReportEvent:
    """The decision on the report, and its event (for the caller to add); an assigned
    one's due date is the caller's to set (set_due_date), from the zone set here."""
    previous = report.status
    report.status = target
    report.assigned_party_id = decision.party_id
    report.assigned_zone_id = decision.zone_id
    if target is ReportStatus.ASSIGNED:
        renew_work_order_link(report)  # the party's own; any sent before stop working
    else:
        # Nobody holds it: no person of a party, nothing due, nothing to escalate.
        report.assigned_user_id, report.due_at, report.escalation_level = None, None, 0
        end_work_order_link(report)
    return ReportEvent(
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

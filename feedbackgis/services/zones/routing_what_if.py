"""The routing what-if: where the latest reports would go if a zone file were imported.

Both answers come from the routing itself: the candidate zones found inside PostGIS by
repositories/zones.candidate_zones_of_reports (the conditions of a report's own lookup),
decided by domain/routing.decide_routing. "After" is asked with the planned zones inserted
in a savepoint that is rolled back, so the database's own triggers give them the parts and
areas a real import would; the zones an import would replace are left out of the lookup
rather than deleted (a delete would touch every report assigned to them). Nothing is
committed and nobody else sees the planned zones.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.routing import RoutingDecision, decide_routing
from feedbackgis.models import Category, Party
from feedbackgis.repositories.zones import (
    ReportToRoute,
    candidate_zones_of_reports,
    latest_reports_to_route,
    zone_ids_of_parties,
)
from feedbackgis.services.zones.zone_import import (
    ZoneImportPlan,
    insert_planned_zones,
)
from feedbackgis.services.zones.zone_import_plan import PlannedZone


@dataclass(frozen=True)
class RoutingChange:
    report_id: int
    category_code: str
    category_name: str  # in the language asked for
    party_before: str | None  # None: to triage (no party)
    party_after: str | None


@dataclass(frozen=True)
class ChangeCount:
    party_before: str | None
    party_after: str | None
    reports: int


@dataclass(frozen=True)
class RoutingWhatIf:
    limit: int  # the latest this many reports were asked about
    reports: int  # how many there were
    at: datetime  # the moment both routings were asked for
    changes: list[RoutingChange]  # the reports whose party would change, newest first
    counts: list[ChangeCount]  # per (before, after), most reports first

    @property
    def changed(self) -> int:
        return len(self.changes)


def route_reports(
    session: Session, reports: Sequence[ReportToRoute], at: datetime,
    left_out_zone_ids: Collection[int] = (),
) -> dict[int, RoutingDecision]:
    """Each report's routing decision at `at` (report id -> decision), in one query, as if
    the zones `left_out_zone_ids` were not there."""
    with_point = [r.id for r in reports if r.has_point]
    candidates = candidate_zones_of_reports(session, with_point, at, left_out_zone_ids)
    return {
        r.id: decide_routing(candidates.get(r.id, ()), r.default_party_id,
                             has_point=r.has_point)
        for r in reports
    }


def what_if_routing(
    session: Session, plan: ZoneImportPlan, zones: list[PlannedZone], *, limit: int,
    at: datetime, language: str,
) -> RoutingWhatIf:
    """Route the latest `limit` reports with today's zones and with `zones` of `plan`
    imported (replacing their parties' zones when the plan says so); compare."""
    reports = latest_reports_to_route(session, limit)
    before = route_reports(session, reports, at)
    # Taken before the planned zones are in: the parties' new zones must stay.
    replaced = (zone_ids_of_parties(session, plan.receiving.values())
                if plan.options.replace else [])
    savepoint = session.begin_nested()
    try:
        insert_planned_zones(session, plan, zones)
        after = route_reports(session, reports, at, replaced)
    finally:
        savepoint.rollback()
    moved = [r for r in reports if before[r.id].party_id != after[r.id].party_id]
    parties = _party_names(session, {d.party_id for r in moved
                                     for d in (before[r.id], after[r.id])})
    categories = _category_names(session, {r.category_id for r in moved}, language)
    changes = [
        RoutingChange(
            report_id=r.id, category_code=categories[r.category_id][0],
            category_name=categories[r.category_id][1],
            party_before=parties.get(before[r.id].party_id),
            party_after=parties.get(after[r.id].party_id),
        )
        for r in moved
    ]
    return RoutingWhatIf(limit=limit, reports=len(reports), at=at, changes=changes,
                         counts=_counts(changes))


def _counts(changes: list[RoutingChange]) -> list[ChangeCount]:
    counted = Counter((c.party_before, c.party_after) for c in changes)

    def order(item: tuple[tuple[str | None, str | None], int]) -> tuple[object, ...]:
        (before, after), count = item
        # Most reports first, then by party name; triage (no party) after the parties.
        return (-count, before is None, before or "", after is None, after or "")

    return [ChangeCount(before, after, count) for (before, after), count
            in sorted(counted.items(), key=order)]


def _party_names(session: Session, ids: set[int | None]) -> dict[int | None, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(Party.id, Party.name).where(Party.id.in_(wanted))).all())


def _category_names(session: Session, ids: set[int], language: str
                    ) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    categories = session.scalars(select(Category).where(Category.id.in_(ids)))
    return {c.id: (c.code, c.name(language)) for c in categories}

"""Which party gets a report: rules over the zones already found to cover its point.

The repository finds the candidate zones inside PostGIS (covers the point, takes the
category, valid now); this module decides between them, so the tie-breaks are plain Python
that unit tests can exercise with shapely geometries.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class RoutingRule(enum.StrEnum):
    ZONE = "zone"  # the best zone covering the point
    CATEGORY_DEFAULT = "category_default"  # no zone: the category's default party
    TRIAGE = "triage"  # neither: an admin decides


@dataclass(frozen=True)
class ZoneCandidate:
    zone_id: int
    party_id: int
    priority: int
    area_m2: float
    name: str = ""
    # Read with the zone, so that routing a new report needs no query after the lookup:
    # the contract's handling time (None: the category's), and the party's name.
    handling_days: int | None = None
    party_name: str = ""


@dataclass(frozen=True)
class RoutingDecision:
    rule: RoutingRule
    party_id: int | None
    zone_id: int | None = None
    reason: str = ""
    # Other zones that also covered the point, for the audit trail.
    passed_over: tuple[int, ...] = ()


def zone_preference(zone: ZoneCandidate) -> tuple[int, float, int]:
    """Sort key: highest priority first, then the smallest area, then the lowest id.

    The id makes the result deterministic when two zones are equal in everything else.
    """
    return (-zone.priority, zone.area_m2, zone.zone_id)


def decide_routing(
    candidates: Iterable[ZoneCandidate], default_party_id: int | None, *, has_point: bool = True
) -> RoutingDecision:
    if not has_point:
        # Only an address or a description of the place (the form without JavaScript):
        # no zone can be chosen, and the category's default party may not be the right one
        # for that place, so staff pin it first.
        return RoutingDecision(
            rule=RoutingRule.TRIAGE, party_id=None,
            reason="no point given, only an address or description: staff pin it first",
        )
    ranked = sorted(candidates, key=zone_preference)
    if ranked:
        best = ranked[0]
        reason = f"zone {best.zone_id} ({best.name}) covers the point"
        if len(ranked) > 1:
            reason += f"; chosen over {len(ranked) - 1} other zone(s) by priority, area, id"
        return RoutingDecision(
            rule=RoutingRule.ZONE,
            party_id=best.party_id,
            zone_id=best.zone_id,
            reason=reason,
            passed_over=tuple(z.zone_id for z in ranked[1:]),
        )
    if default_party_id is not None:
        return RoutingDecision(
            rule=RoutingRule.CATEGORY_DEFAULT,
            party_id=default_party_id,
            reason="no zone covers the point; the category's default party",
        )
    return RoutingDecision(
        rule=RoutingRule.TRIAGE,
        party_id=None,
        reason="no zone covers the point and the category has no default party",
    )

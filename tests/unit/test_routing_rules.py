"""The routing tie-breaks, on zones built from shapely geometries (areas in EPSG:3067)."""
from __future__ import annotations

import shapely
from pyproj import CRS
from shapely.geometry import Point, box

from feedbackgis.domain.routing import RoutingRule, ZoneCandidate, decide_routing
from feedbackgis.geo.crs import reproject

TM35FIN = CRS.from_epsg(3067)
WGS84 = CRS.from_epsg(4326)


def _zone(zone_id: int, polygon: shapely.Geometry, priority: int = 0) -> tuple[ZoneCandidate, shapely.Geometry]:
    area = reproject(polygon, WGS84, TM35FIN).area
    return ZoneCandidate(zone_id=zone_id, party_id=100 + zone_id, priority=priority, area_m2=area), polygon


def _covering(point: Point, zones):
    """What the repository does in PostGIS: zones whose polygon covers the point."""
    return [candidate for candidate, polygon in zones if polygon.covers(point)]


def test_point_on_shared_edge_goes_to_higher_priority_zone():
    zones = [_zone(1, box(24.0, 60.0, 24.5, 61.0), priority=1),
             _zone(2, box(24.5, 60.0, 25.0, 61.0), priority=3)]
    decision = decide_routing(_covering(Point(24.5, 60.5), zones), default_party_id=None)
    assert (decision.rule, decision.zone_id, decision.passed_over) == (RoutingRule.ZONE, 2, (1,))


def test_equal_priority_prefers_the_smaller_zone():
    zones = [_zone(1, box(24.0, 60.0, 25.0, 61.0)), _zone(2, box(24.4, 60.4, 24.6, 60.6))]
    assert decide_routing(_covering(Point(24.5, 60.5), zones), None).zone_id == 2


def test_priority_beats_area():
    zones = [_zone(1, box(24.0, 60.0, 25.0, 61.0), priority=2), _zone(2, box(24.4, 60.4, 24.6, 60.6))]
    assert decide_routing(_covering(Point(24.5, 60.5), zones), None).zone_id == 1


def test_identical_zones_fall_back_to_lowest_id_whatever_the_input_order():
    square = box(24.0, 60.0, 25.0, 61.0)
    zones = [_zone(7, square), _zone(3, square), _zone(5, square)]
    for ordering in (zones, list(reversed(zones))):
        assert decide_routing(_covering(Point(24.5, 60.5), ordering), None).zone_id == 3


def test_point_in_hole_has_no_zone_and_goes_to_default_party():
    ring = box(24.0, 60.0, 25.0, 61.0).difference(box(24.4, 60.4, 24.6, 60.6))
    decision = decide_routing(_covering(Point(24.5, 60.5), [_zone(1, ring)]), default_party_id=42)
    assert (decision.rule, decision.party_id, decision.zone_id) == (RoutingRule.CATEGORY_DEFAULT, 42, None)


def test_no_zone_and_no_default_party_is_triage():
    decision = decide_routing([], default_party_id=None)
    assert decision.rule is RoutingRule.TRIAGE and decision.party_id is None
    assert "no default party" in decision.reason


def test_reason_names_the_chosen_zone():
    candidate = ZoneCandidate(zone_id=9, party_id=1, priority=0, area_m2=1.0, name="Kallio")
    assert "Kallio" in decide_routing([candidate], None).reason


def test_a_report_without_a_point_waits_in_triage_even_with_a_default_party():
    decision = decide_routing([], default_party_id=42, has_point=False)
    assert decision.rule is RoutingRule.TRIAGE and decision.party_id is None
    assert "pin" in decision.reason

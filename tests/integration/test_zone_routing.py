"""assign_report's zone lookup against PostGIS, through the migrations."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import shapely
from shapely.geometry import box
from sqlalchemy import text

from feedbackgis.domain.routing import RoutingRule
from feedbackgis.geo.convert import as_multipolygon, point, to_db
from feedbackgis.models import Report, Zone
from feedbackgis.repositories.zones import candidate_zones
from feedbackgis.services.reports.routing import assign_report, find_routing

from .factories import make_category, make_party, make_zone


def _report(session, category, lon, lat) -> Report:
    report = Report(category=category, category_id=category.id, description="x",
                    location=to_db(point(lon, lat)), follow_up_nonce="n",
                    follow_up_token_hash=f"h{lon}{lat}{category.id}")
    session.add(report)
    session.flush()
    return report


@pytest.fixture
def category(session):
    return make_category(session)


def test_point_inside_single_zone_goes_to_its_party(session, category):
    party = make_party(session)
    zone = make_zone(session, party, box(24.0, 60.0, 25.0, 61.0))
    decision = find_routing(session, _report(session, category, 24.5, 60.5))
    assert (decision.rule, decision.party_id, decision.zone_id) == (RoutingRule.ZONE, party.id, zone.id)


def test_point_on_shared_edge_goes_to_higher_priority_zone(session, category):
    low, high = make_party(session), make_party(session)
    make_zone(session, low, box(24.0, 60.0, 24.5, 61.0), priority=1)
    high_zone = make_zone(session, high, box(24.5, 60.0, 25.0, 61.0), priority=5)
    decision = find_routing(session, _report(session, category, 24.5, 60.5))
    assert decision.zone_id == high_zone.id
    assert len(decision.passed_over) == 1


def test_point_on_shared_vertex_of_equal_zones_goes_to_smaller_zone(session, category):
    big, small = make_party(session), make_party(session)
    make_zone(session, big, box(23.0, 59.0, 24.5, 60.5))
    small_zone = make_zone(session, small, box(24.5, 60.5, 25.0, 61.0))
    decision = find_routing(session, _report(session, category, 24.5, 60.5))
    assert decision.zone_id == small_zone.id


def test_equal_zones_tie_break_on_lowest_id(session, category):
    a, b = make_party(session), make_party(session)
    first = make_zone(session, a, box(24.0, 60.0, 25.0, 61.0))
    make_zone(session, b, box(24.0, 60.0, 25.0, 61.0))
    assert find_routing(session, _report(session, category, 24.5, 60.5)).zone_id == first.id


def test_point_in_hole_is_not_in_zone(session, category):
    ring = box(24.0, 60.0, 25.0, 61.0).difference(box(24.4, 60.4, 24.6, 60.6))
    inner_party, ring_party = make_party(session), make_party(session)
    make_zone(session, ring_party, ring)
    category.default_party_id = inner_party.id
    decision = find_routing(session, _report(session, category, 24.5, 60.5))
    assert (decision.rule, decision.party_id) == (RoutingRule.CATEGORY_DEFAULT, inner_party.id)


def test_point_on_island_of_multipolygon_goes_to_that_zone(session, category):
    party = make_party(session)
    islands = shapely.MultiPolygon([box(24.0, 60.0, 24.1, 60.1), box(24.8, 60.8, 24.9, 60.9)])
    zone = make_zone(session, party, islands)
    assert find_routing(session, _report(session, category, 24.85, 60.85)).zone_id == zone.id
    assert find_routing(session, _report(session, category, 24.5, 60.5)).zone_id is None


def test_overlapping_zones_of_different_priority_pick_the_higher(session, category):
    city, contractor = make_party(session), make_party(session)
    make_zone(session, city, box(24.0, 60.0, 25.0, 61.0), priority=10)
    make_zone(session, contractor, box(24.4, 60.4, 24.6, 60.6), priority=1)
    assert find_routing(session, _report(session, category, 24.5, 60.5)).party_id == city.id


def test_zone_taking_other_categories_is_skipped(session, category):
    other = make_category(session)
    lights, general = make_party(session), make_party(session)
    make_zone(session, lights, box(24.4, 60.4, 24.6, 60.6), priority=9, categories=[other])
    make_zone(session, general, box(24.0, 60.0, 25.0, 61.0))
    assert find_routing(session, _report(session, category, 24.5, 60.5)).party_id == general.id
    assert find_routing(session, _report(session, other, 24.5, 60.5)).party_id == lights.id


def test_zone_outside_its_validity_dates_is_skipped(session, category):
    now = datetime.now(UTC)
    old, new, future = make_party(session), make_party(session), make_party(session)
    make_zone(session, old, box(24.0, 60.0, 25.0, 61.0), priority=5, valid_to=now - timedelta(days=1))
    make_zone(session, future, box(24.0, 60.0, 25.0, 61.0), priority=5, valid_from=now + timedelta(days=1))
    current = make_zone(session, new, box(24.0, 60.0, 25.0, 61.0), valid_from=now - timedelta(days=1))
    report = _report(session, category, 24.5, 60.5)
    assert find_routing(session, report).zone_id == current.id
    assert find_routing(session, report, at=now + timedelta(days=2)).party_id == future.id


def test_zone_of_inactive_party_is_skipped(session, category):
    gone = make_party(session, active=False)
    make_zone(session, gone, box(24.0, 60.0, 25.0, 61.0))
    assert find_routing(session, _report(session, category, 24.5, 60.5)).rule is RoutingRule.TRIAGE


def test_outside_every_zone_goes_to_default_party_then_triage(session, category):
    fallback = make_party(session)
    make_zone(session, make_party(session), box(24.0, 60.0, 25.0, 61.0))
    report = _report(session, category, 26.0, 62.0)
    assert find_routing(session, report).rule is RoutingRule.TRIAGE
    category.default_party_id = fallback.id
    session.flush()
    decision = find_routing(session, report)
    assert (decision.rule, decision.party_id) == (RoutingRule.CATEGORY_DEFAULT, fallback.id)


def test_assignment_records_decision_and_reason_as_event(session, category):
    party = make_party(session)
    zone = make_zone(session, party, box(24.0, 60.0, 25.0, 61.0), name="Keskusta")
    report = _report(session, category, 24.5, 60.5)
    assign_report(session, report)
    event = report.events[-1]
    assert report.status == "assigned" and report.assigned_party_id == party.id
    assert event.data["rule"] == "zone" and event.data["zone_id"] == zone.id
    assert "Keskusta" in event.data["reason"]
    assert event.is_public and event.note is None


def test_large_zone_is_subdivided_and_still_routes(session, category):
    party = make_party(session)
    circle = shapely.Point(24.5, 60.5).buffer(0.4, quad_segs=1000)  # ~4000 vertices
    zone = make_zone(session, party, circle)
    parts = session.scalar(
        text("SELECT count(*) FROM zone_part WHERE zone_id = :z"), {"z": zone.id}
    )
    assert parts > 4
    assert find_routing(session, _report(session, category, 24.5, 60.85)).zone_id == zone.id
    assert find_routing(session, _report(session, category, 24.5, 60.95)).zone_id is None


def test_zone_added_in_the_same_transaction_is_found_without_an_explicit_flush(session, category):
    party_id, category_id = make_party(session).id, category.id
    zone = Zone(party_id=party_id, name="Unflushed",
                geom=to_db(as_multipolygon(box(24.0, 60.0, 25.0, 61.0))))
    session.add(zone)
    found = candidate_zones(session, 24.5, 60.5, category_id, datetime.now(UTC))
    assert [c.zone_id for c in found] == [zone.id]

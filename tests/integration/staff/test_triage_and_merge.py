"""Triage, reassignment and merging from the staff pages, with their side effects."""
from __future__ import annotations

import pytest
import shapely
from sqlalchemy import select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import EventKind, OutboxMessage, Report, ReportEvent, ReportFollower
from tests.integration.factories import (
    make_follower,
    make_report,
    make_service_area,
    make_zone,
)
from tests.integration.staff.staff_world import build_world, csrf, sign_in_as

CITY = shapely.box(24.8, 60.1, 25.1, 60.3)
PARK = shapely.box(24.90, 60.16, 24.96, 60.19)  # unit B's zone


@pytest.fixture
def world(session):
    world = build_world(session)
    make_service_area(session, CITY)
    session.commit()
    return world


def _post(client, report_id, suffix, **data):
    token = csrf(client, f"/staff/reports/{report_id}")
    return client.post(f"/staff/reports/{report_id}{suffix}", data={**data, "csrf_token": token})


def _outbox(session, topic):
    return [m.payload for m in session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == topic).order_by(OutboxMessage.id))]


def test_a_manager_reassigns_and_the_new_party_is_told_with_a_due_date(client, session, world):
    report_id = world.report_a.id
    sign_in_as(client, world.users["manager"])
    assert _post(client, report_id, "/party", party=str(world.unit_b.id)).status_code == 303
    report = session.get(Report, report_id)
    session.refresh(report)
    assert report.assigned_party_id == world.unit_b.id and report.due_at is not None
    assert _outbox(session, "report.assigned")[-1] == {"report_id": report_id,
                                                      "party_id": world.unit_b.id}
    # Unit A's handler no longer sees it; unit B's does.
    sign_in_as(client, world.users["handler_a"])
    assert client.get(f"/staff/reports/{report_id}").status_code == 404
    sign_in_as(client, world.users["handler_b"])
    assert client.get(f"/staff/reports/{report_id}").status_code == 200


def test_a_report_in_triage_is_pinned_and_routed_to_the_zones_party(client, session, world):
    make_zone(session, world.unit_b, PARK)
    triaged = make_report(session, world.category, lon=None, lat=None, address="Puistotie 1")
    session.commit()
    sign_in_as(client, world.users["manager"])
    assert f"#{triaged.id}" in client.get("/staff/triage").get_data(as_text=True)
    assert _post(client, triaged.id, "/location", lon="24.93", lat="60.17").status_code == 303
    report = session.get(Report, triaged.id)
    session.refresh(report)
    assert (report.status, report.assigned_party_id) == (ReportStatus.ASSIGNED, world.unit_b.id)
    kinds = [e.kind for e in session.scalars(select(ReportEvent).where(
        ReportEvent.report_id == triaged.id).order_by(ReportEvent.id))]
    assert kinds[-2:] == [EventKind.LOCATED, EventKind.ASSIGNED]
    assert f"#{triaged.id}" not in client.get("/staff/triage").get_data(as_text=True)


def test_a_point_outside_the_municipality_is_refused_with_the_reason(client, session, world):
    sign_in_as(client, world.users["manager"])
    response = _post(client, world.report_a.id, "/location", lon="10.0", lat="50.0")
    assert response.status_code == 422
    assert 'id="location-error"' in response.get_data(as_text=True)
    response = _post(client, world.report_a.id, "/location", lon="nan", lat="60.2")
    assert response.status_code == 422


def test_a_new_category_routes_the_report_again(client, session, world):
    from tests.integration.factories import make_category

    parks = make_category(session, "park-bench", default_party=world.unit_b)
    session.commit()
    sign_in_as(client, world.users["admin"])
    assert _post(client, world.report_a.id, "/category", category="park-bench").status_code == 303
    report = session.get(Report, world.report_a.id)
    session.refresh(report)
    assert (report.category_id, report.assigned_party_id) == (parks.id, world.unit_b.id)
    assert _outbox(session, "report.assigned")[-1]["party_id"] == world.unit_b.id


def test_merging_moves_the_followers_and_the_reporter_and_points_to_the_original(
        client, session, world):
    duplicate, original = world.report_a, world.report_b
    make_follower(session, duplicate, "seuraaja@example.fi")
    make_follower(session, duplicate, "molemmat@example.fi")
    make_follower(session, original, "molemmat@example.fi")
    session.commit()
    sign_in_as(client, world.users["moderator"])
    assert _post(client, duplicate.id, "/merge", original=f"#{original.id}").status_code == 303
    merged = session.get(Report, duplicate.id)
    session.refresh(merged)
    assert (merged.status, merged.merged_into_id) == (ReportStatus.DUPLICATE, original.id)
    following = sorted(session.scalars(select(ReportFollower.email).where(
        ReportFollower.report_id == original.id)))
    assert following == ["aino@example.fi", "molemmat@example.fi", "seuraaja@example.fi"]
    [payload] = _outbox(session, "report.merged")
    assert payload["report_id"] == duplicate.id and payload["original_id"] == original.id
    public = client.get(f"/reports/{duplicate.id}").get_data(as_text=True)
    assert f'href="/reports/{original.id}' in public


@pytest.mark.parametrize(("original", "status"), [("self", 422), ("999999", 404),
                                                  ("abc", 422), ("²", 422), ("", 422)])
def test_a_merge_into_no_other_report_is_refused_on_the_form(client, world, original, status):
    sign_in_as(client, world.users["moderator"])
    target = str(world.report_a.id) if original == "self" else original
    response = _post(client, world.report_a.id, "/merge", original=target)
    assert response.status_code == status
    assert 'id="original-error"' in response.get_data(as_text=True)


def test_a_report_merged_into_a_duplicate_is_sent_to_its_original(client, session, world):
    third = make_report(session, world.category, party=world.unit_a, description="Kolmas")
    session.commit()
    sign_in_as(client, world.users["moderator"])
    assert _post(client, world.report_a.id, "/merge", original=str(world.report_b.id)).status_code == 303
    response = _post(client, third.id, "/merge", original=str(world.report_a.id))
    assert response.status_code == 422
    assert f"#{world.report_b.id}" in response.get_data(as_text=True)

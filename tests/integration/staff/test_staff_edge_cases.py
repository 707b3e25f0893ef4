"""The staff pages at their edges: odd input, reports that ended, re-routing that lands with
the same party, merges of people who follow twice. Each a defect found in review."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import shapely
from sqlalchemy import select

from feedbackgis.domain.publication import PublishPolicy
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import Photo, Report, ReportFollower
from feedbackgis.services.notifications.merge_notifications import notify_of_merge
from feedbackgis.services.reports.merging import merge_report
from tests.integration.factories import (
    make_category,
    make_follower,
    make_report,
    make_service_area,
    make_zone,
)
from tests.integration.staff.staff_world import build_world, csrf, sign_in_as

CITY = shapely.box(24.8, 60.1, 25.1, 60.3)
A_ZONE = shapely.box(24.93, 60.16, 24.95, 60.18)  # unit A's, around report A


@pytest.fixture
def world(session):
    world = build_world(session)
    make_service_area(session, CITY)
    make_zone(session, world.unit_a, A_ZONE)
    session.commit()
    return world


def _post(client, report_id, suffix, **data):
    token = csrf(client, f"/staff/reports/{report_id}")
    return client.post(f"/staff/reports/{report_id}{suffix}", data={**data, "csrf_token": token})


def _fresh(session, report_id) -> Report:
    """The report as the database has it now (the pages commit in sessions of their own)."""
    return session.get(Report, report_id, populate_existing=True)


@pytest.mark.parametrize(("user", "suffix", "data", "field"), [
    ("handler_a", "/person", {"person": "²"}, "person"),
    ("handler_a", "/person", {"person": "abc"}, "person"),
    ("manager", "/party", {"party": "٣"}, "party"),
    ("manager", "/party", {"party": ""}, "party"),
    ("handler_a", "/status", {"status": "in_progress", "message": "a\x00b"}, "message"),
    ("handler_a", "/status", {"status": "in_progress", "message": "x" * 5001}, "message"),
    ("moderator", "/unpublish", {"reason": "a\x00b"}, "reason"),
    ("manager", "/category", {"category": "a\x00b"}, "category"),
    ("manager", "/category", {"category": "c" * 500}, "category"),
    ("manager", "/location", {"lon": "1e999", "lat": "60.2"}, "location"),
    ("manager", "/location", {"lon": "200", "lat": "60.2"}, "location"),
])
def test_odd_input_is_refused_on_its_field_and_changes_nothing(client, session, world, user,
                                                               suffix, data, field):
    report_id = world.report_a.id
    before = _fresh(session, report_id)
    state = (before.status, before.assigned_party_id, before.assigned_user_id, before.is_public)
    sign_in_as(client, world.users[user])
    response = _post(client, report_id, suffix, **data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    after = _fresh(session, report_id)
    assert (after.status, after.assigned_party_id, after.assigned_user_id,
            after.is_public) == state


def test_a_report_moved_to_a_category_never_published_leaves_the_public_map(
        client, session, world):
    make_category(session, "private", publish_policy=PublishPolicy.NEVER,
                  default_party=world.unit_a)
    session.commit()
    sign_in_as(client, world.users["manager"])
    assert _post(client, world.report_a.id, "/category", category="private").status_code == 303
    assert not _fresh(session, world.report_a.id).is_public
    assert client.get(f"/api/v1/reports/{world.report_a.id}").status_code == 404


def test_a_new_category_of_the_same_party_keeps_the_work_going(client, session, world):
    make_category(session, "lamp-post", default_party=world.unit_b)  # the zone decides
    report = _fresh(session, world.report_a.id)
    due = datetime.now(UTC) - timedelta(days=5)
    report.status, report.due_at, report.escalation_level = ReportStatus.IN_PROGRESS, due, 1
    session.commit()
    sign_in_as(client, world.users["manager"])
    assert _post(client, report.id, "/category", category="lamp-post").status_code == 303
    after = _fresh(session, report.id)
    assert (after.status, after.assigned_party_id, after.escalation_level) == (
        ReportStatus.IN_PROGRESS, world.unit_a.id, 1)
    assert after.due_at == due


def test_a_point_where_no_zone_is_sends_to_triage_with_nothing_due(client, session, world):
    report = _fresh(session, world.report_a.id)
    report.due_at, report.escalation_level = datetime.now(UTC) - timedelta(days=3), 1
    session.commit()
    sign_in_as(client, world.users["manager"])
    assert _post(client, report.id, "/location", lon="25.05", lat="60.25").status_code == 303
    after = _fresh(session, report.id)
    assert (after.status, after.assigned_party_id, after.due_at, after.escalation_level) == (
        ReportStatus.TRIAGE, None, None, 0)


def test_a_merged_or_rejected_report_leaves_the_moderation_queue(client, session, world):
    waiting = [make_report(session, world.category, party=world.unit_a, public=False)
               for _ in range(2)]
    for report in waiting:
        report.moderation_pending = True
    session.commit()
    sign_in_as(client, world.users["moderator"])
    assert _post(client, waiting[0].id, "/merge", original=str(world.report_b.id)).status_code == 303
    sign_in_as(client, world.users["handler_a"])
    assert _post(client, waiting[1].id, "/status", status="rejected").status_code == 303
    assert not any(_fresh(session, r.id).moderation_pending for r in waiting)
    sign_in_as(client, world.users["moderator"])
    queue = client.get("/staff/moderation").get_data(as_text=True)
    assert all(f"#{report.id}<" not in queue for report in waiting)


def test_no_merge_into_a_report_that_ended_without_a_fix(client, session, world):
    ended = make_report(session, world.category, party=world.unit_b)
    ended.status = ReportStatus.REJECTED
    session.commit()
    sign_in_as(client, world.users["moderator"])
    response = _post(client, world.report_a.id, "/merge", original=str(ended.id))
    assert response.status_code == 422 and 'id="original-error"' in response.get_data(as_text=True)
    assert _fresh(session, world.report_a.id).merged_into_id is None


def test_a_reporter_who_follows_too_is_told_once_and_confirmed_on_the_original(
        session, world, smtp, links, mail_sink):
    duplicate, original = world.report_a, world.report_b
    make_follower(session, duplicate, "aino@example.fi")  # the reporter follows their own
    make_follower(session, original, "aino@example.fi", confirmed=False)
    session.commit()
    merge_report(session, duplicate.id, original.id, world.users["moderator"],
                 secret_key="test-secret-key")
    [follower] = session.scalars(select(ReportFollower).where(
        ReportFollower.report_id == original.id)).all()
    assert follower.email == "aino@example.fi" and follower.confirmed_at is not None
    assert notify_of_merge(session, smtp, links, report_id=duplicate.id,
                           original_id=original.id, follower_ids=[follower.id],
                           reporter_follower_id=follower.id) == 1
    assert [m["To"] for m in mail_sink.messages] == ["aino@example.fi"]


def test_a_moderator_edits_the_text_of_a_public_report_that_ended(client, session, world):
    report = _fresh(session, world.report_b.id)
    report.status = ReportStatus.NOT_OURS
    session.commit()
    sign_in_as(client, world.users["moderator"])
    response = _post(client, report.id, "/publish", public_text="Lamppu")
    assert response.status_code == 303
    assert client.get(f"/api/v1/reports/{report.id}").json["description"] == "Lamppu"


def test_personal_data_in_the_address_is_marked_and_edited_before_publishing(
        client, session, world):
    body = {"category": "streetlight", "location": {"lon": 24.94, "lat": 60.17},
            "address": "Kotikatu 5, soita 040 123 4567", "description": "Valo ei pala"}
    report_id = client.post("/api/v1/reports", json=body).json["id"]
    assert not _fresh(session, report_id).is_public
    sign_in_as(client, world.users["moderator"])
    assert '<mark title="phone">040 123 4567</mark>' in client.get(
        "/staff/moderation").get_data(as_text=True)
    assert '<mark title="phone">040 123 4567</mark>' in client.get(
        f"/staff/reports/{report_id}").get_data(as_text=True)
    response = _post(client, report_id, "/publish", public_text="Valo ei pala",
                     address="Kotikatu 5")
    assert response.status_code == 303
    assert client.get(f"/api/v1/reports/{report_id}").json["address"] == "Kotikatu 5"


def test_a_photo_is_hidden_only_through_its_own_reports_page(client, session, world, app,
                                                             tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    from tests.integration.photos.helpers import upload
    from tests.photo_files import jpeg_bytes

    assert upload(client, jpeg_bytes()).status_code == 201
    photo = session.scalar(select(Photo))
    photo.report_id = world.report_b.id
    session.commit()
    sign_in_as(client, world.users["moderator"])
    assert _post(client, world.report_a.id, f"/photos/{photo.id}/hide").status_code == 404
    assert not session.get(Photo, photo.id, populate_existing=True).hidden




def test_a_fixed_report_reopened_gets_a_full_handling_time_again(client, session, world):
    report = _fresh(session, world.report_a.id)
    report.status, report.due_at = ReportStatus.FIXED, datetime.now(UTC) - timedelta(days=30)
    report.escalation_level = 2
    session.commit()
    sign_in_as(client, world.users["handler_a"])
    assert _post(client, report.id, "/status", status="in_progress").status_code == 303
    after = _fresh(session, report.id)
    assert after.status is ReportStatus.IN_PROGRESS and after.escalation_level == 0
    assert after.due_at > datetime.now(UTC)


def test_signing_out_ends_a_copied_session_too(client, app, world):
    sign_in_as(client, world.users["handler_a"])
    assert client.get("/staff/").status_code == 200
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get("/staff/").status_code == 200
    assert client.post("/staff/logout", data={"csrf_token": csrf(client, "/staff/")}).status_code == 303
    assert client.get("/staff/").status_code == 302
    assert copied.get("/staff/").status_code == 302  # the copy is worth nothing any more

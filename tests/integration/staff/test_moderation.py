"""Moderation: personal data holds a report back, moderators edit what the public reads,
publish and unpublish; the reporter's own words stay, for staff only."""
from __future__ import annotations

import pytest
import shapely
from sqlalchemy import select

from feedbackgis.domain.publication import PublishPolicy
from feedbackgis.models import EventKind, Report, ReportEvent
from feedbackgis.services.reports.submission import follow_up_token
from tests.integration.factories import make_category, make_report, make_service_area
from tests.integration.staff.staff_world import build_world, csrf, sign_in_as

CITY = shapely.box(24.8, 60.1, 25.1, 60.3)
WITH_PHONE = "Auto pysäköity nurmelle, omistaja soitti 040 765 4321 ja uhkaili."


@pytest.fixture
def world(session):
    world = build_world(session)
    make_service_area(session, CITY)
    session.commit()
    return world


def _submit(client, category: str, description: str):
    body = {"category": category, "location": {"lon": 24.94, "lat": 60.17},
            "description": description}
    response = client.post("/api/v1/reports", json=body)
    assert response.status_code == 201, response.json
    return response.json


@pytest.mark.parametrize(("description", "public", "pending"), [
    ("Katulamppu ei pala Mannerheimintiellä.", True, False),
    (WITH_PHONE, False, True),
    ("Kirjoita minulle: matti.meikalainen@example.fi", False, True),
])
def test_a_category_published_at_once_holds_back_a_report_with_personal_data(
        client, session, world, description, public, pending):
    receipt = _submit(client, "streetlight", description)
    report = session.get(Report, receipt["id"])
    assert (report.is_public, report.moderation_pending) == (public, pending)
    assert receipt["public"] is public


def test_categories_published_after_moderation_or_never_wait_or_not(client, session, world):
    make_category(session, "checked", publish_policy=PublishPolicy.MODERATED)
    make_category(session, "private", publish_policy=PublishPolicy.NEVER)
    session.commit()
    checked = session.get(Report, _submit(client, "checked", "Roska-astia täynnä")["id"])
    private = session.get(Report, _submit(client, "private", "Naapurin koira haukkuu")["id"])
    assert (checked.is_public, checked.moderation_pending) == (False, True)
    assert (private.is_public, private.moderation_pending) == (False, False)


def test_the_queue_marks_the_personal_data_and_publishing_an_edit_keeps_the_original(
        client, session, world):
    receipt = _submit(client, "streetlight", WITH_PHONE)
    report_id = receipt["id"]
    sign_in_as(client, world.users["moderator"])
    queue = client.get("/staff/moderation").get_data(as_text=True)
    assert f"#{report_id}" in queue and '<mark title="phone">040 765 4321</mark>' in queue
    edited = "Auto pysäköity nurmelle."
    response = client.post(f"/staff/reports/{report_id}/publish", data={
        "public_text": edited, "csrf_token": csrf(client, f"/staff/reports/{report_id}")})
    assert response.status_code == 303
    report = session.get(Report, report_id)
    session.refresh(report)
    assert report.is_public and not report.moderation_pending
    assert report.description == WITH_PHONE and report.public_description == edited
    public = client.get(f"/api/v1/reports/{report_id}").json
    assert public["description"] == edited
    assert "040 765" not in client.get(f"/reports/{report_id}").get_data(as_text=True)
    follow_up = client.get(f"/follow/{follow_up_token(report, 'test-secret-key')}")
    assert WITH_PHONE in follow_up.get_data(as_text=True)
    kinds = {e.kind: e for e in session.scalars(select(ReportEvent).where(
        ReportEvent.report_id == report_id))}
    assert kinds[EventKind.MODERATED].data["before"] == WITH_PHONE
    assert not kinds[EventKind.MODERATED].is_public
    assert EventKind.PUBLISHED in kinds
    assert f"#{report_id}" not in client.get("/staff/moderation").get_data(as_text=True)


def test_unpublishing_takes_the_report_off_the_public_pages(client, session, world):
    report = make_report(session, world.category, party=world.unit_a)
    session.commit()
    assert client.get(f"/reports/{report.id}").status_code == 200
    sign_in_as(client, world.users["moderator"])
    response = client.post(f"/staff/reports/{report.id}/unpublish", data={
        "reason": "Loukkaava", "csrf_token": csrf(client, f"/staff/reports/{report.id}")})
    assert response.status_code == 303
    assert client.get(f"/reports/{report.id}").status_code == 404
    assert client.get(f"/api/v1/reports/{report.id}").status_code == 404


def test_a_report_of_a_category_never_published_cannot_be_published(client, session, world):
    private = make_category(session, "private", publish_policy=PublishPolicy.NEVER)
    report = make_report(session, private, party=world.unit_a, public=False)
    session.commit()
    sign_in_as(client, world.users["moderator"])
    response = client.post(f"/staff/reports/{report.id}/publish", data={
        "public_text": "x", "csrf_token": csrf(client, f"/staff/reports/{report.id}")})
    assert response.status_code == 409
    assert 'id="publish-error"' in response.get_data(as_text=True)
    stored = session.get(Report, report.id)
    assert not stored.is_public and stored.public_description is None

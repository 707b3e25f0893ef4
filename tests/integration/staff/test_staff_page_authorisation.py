"""Every role against every staff page and action of a report, on its own party's report
and on another's: the page does what domain/permissions.py allows, and a report out of
reach is 404 with none of its data (a handler of unit A opening unit B's report by id)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.domain.permissions import Action
from feedbackgis.extensions import db
from feedbackgis.models import ReportEvent
from feedbackgis.services.staff.access import user_may
from tests.integration.staff.staff_world import build_world, csrf, sign_in_as

# (method, path under /staff/reports/<id>, form, the action it needs)
REPORT_ENDPOINTS = [
    ("GET", "", {}, Action.VIEW_REPORT),
    ("POST", "/contact", {}, Action.VIEW_CONTACT),
    ("POST", "/reply", {"reply": "Korjataan huomenna."}, Action.REPLY_PUBLICLY),
    ("POST", "/note", {"note": "Tilattu osa."}, Action.ADD_INTERNAL_NOTE),
    ("POST", "/status", {"status": "in_progress"}, Action.CHANGE_STATUS),
    ("POST", "/party", {"party": "{other_party}"}, Action.REASSIGN),
    ("POST", "/merge", {"original": "{other_report}"}, Action.MERGE),
    ("POST", "/unpublish", {}, Action.PUBLISH),
]
USERS = ["admin", "manager", "moderator", "handler_a", "handler_b", "contractor"]


@pytest.fixture
def world(session):
    return build_world(session)


@pytest.mark.parametrize("user_name", USERS)
@pytest.mark.parametrize(("method", "suffix", "form", "action"), REPORT_ENDPOINTS,
                         ids=[f"{m} {s or '/'}" for m, s, _, _ in REPORT_ENDPOINTS])
def test_each_role_may_do_on_a_report_exactly_what_the_permissions_say(
        client, world, user_name, method, suffix, form, action):
    user = world.users[user_name]
    report, other = world.report_a, world.report_b
    sign_in_as(client, user)
    path = f"/staff/reports/{report.id}{suffix}"
    if method == "GET":
        response = client.get(path)
    else:
        data = {key: value.format(other_party=world.unit_b.id, other_report=other.id)
                for key, value in form.items()}
        response = client.post(path, data={**data, "csrf_token": csrf(client, "/staff/")})
    body = response.get_data(as_text=True)
    db.session.expire_all()
    if not user_may(user, Action.VIEW_REPORT, report):
        assert response.status_code == 404
        assert "Lamppu A" not in body and "Aino" not in body and "aino@" not in body
    elif not user_may(user, action, report):
        assert response.status_code == 403
        assert "aino@" not in body
    else:
        assert response.status_code in (200, 303), body[:500]


def test_a_handler_of_unit_a_gets_404_for_every_page_of_unit_bs_report(client, world):
    sign_in_as(client, world.users["handler_a"])
    report_id = world.report_b.id
    for path in (f"/staff/reports/{report_id}", f"/staff/reports/{report_id}/photos/1.jpg"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Lamppu B" not in response.get_data(as_text=True)
    token = csrf(client, "/staff/")
    for suffix, data in (("/reply", {"reply": "x"}), ("/note", {"note": "x"}),
                         ("/status", {"status": "fixed"}), ("/contact", {})):
        assert client.post(f"/staff/reports/{report_id}{suffix}",
                           data={**data, "csrf_token": token}).status_code == 404


@pytest.mark.parametrize(("path", "action"), [("/staff/triage", Action.REASSIGN),
                                              ("/staff/moderation", Action.MODERATE),
                                              ("/staff/", None)])
@pytest.mark.parametrize("user_name", USERS)
def test_the_queues_open_for_the_roles_that_work_them(client, world, user_name, path, action):
    user = world.users[user_name]
    sign_in_as(client, user)
    response = client.get(path)
    allowed = action is None or user_may(user, action)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("path", ["/staff/", "/staff/triage", "/staff/moderation",
                                  "/staff/reports/1"])
def test_nobody_signed_in_is_sent_to_the_login_page(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_a_form_without_its_csrf_token_changes_nothing(client, session, world):
    sign_in_as(client, world.users["handler_a"])
    report_id = world.report_a.id
    response = client.post(f"/staff/reports/{report_id}/note", data={"note": "x"})
    assert response.status_code == 400
    notes = session.scalars(select(ReportEvent.note).where(ReportEvent.report_id == report_id))
    assert "x" not in list(notes)

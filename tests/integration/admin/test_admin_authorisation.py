"""Every admin page and form post, whoever asks: an admin gets in, every other role gets
403 (nothing changed), nobody signed in is sent to the login page, and a form post without
its CSRF token is refused. The routes are read from the app, so a new admin page (the zones'
too) is covered the day it is added."""
from __future__ import annotations

import re

import pytest
from werkzeug.routing import Rule

from tests.integration.admin.conftest import all_changes
from tests.integration.staff.staff_world import csrf, sign_in_as

OTHER_ROLES = ["manager", "moderator", "handler_a", "contractor"]


def _admin_rules(app) -> list[Rule]:
    return sorted((rule for rule in app.url_map.iter_rules()
                   if rule.endpoint.startswith("admin.")), key=lambda rule: rule.rule)


def _path(rule: Rule) -> str:
    """The rule with every argument filled: 1 for a number, a word for the rest."""
    def value(found: re.Match) -> str:
        return "1" if found.group(1) in {"id", "int"} else "pole"

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", value, rule.rule)


def _requests(app) -> list[tuple[str, str]]:
    return [(method, _path(rule)) for rule in _admin_rules(app)
            for method in sorted(rule.methods & {"GET", "POST"})]


def test_the_admin_pages_are_many_and_all_checked(app):
    requests = _requests(app)
    assert len([r for r in requests if r[0] == "GET"]) >= 12
    assert len([r for r in requests if r[0] == "POST"]) >= 12
    assert ("GET", "/admin/") in requests and ("POST", "/admin/jobs/retry") in requests


@pytest.mark.parametrize("user_name", OTHER_ROLES)
def test_every_other_role_gets_403_on_every_admin_page_and_post(
        app, client, session, world, user_name):
    sign_in_as(client, world.users[user_name])
    token = csrf(client, "/staff/")
    for method, path in _requests(app):
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token, "name": "x", "code": "x"})
        assert response.status_code == 403, (method, path, response.status_code)
        assert "csrf_token" not in response.get_data(as_text=True)  # no form was shown
    assert all_changes(session) == []


def test_nobody_signed_in_is_sent_to_the_login_page_from_every_admin_page(app, client, world):
    token = csrf(client, "/staff/login")
    for method, path in _requests(app):
        response = (client.get(path) if method == "GET"
                    else client.post(path, data={"csrf_token": token}))
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/staff/login?next=/admin"), path


def test_after_signing_in_the_admin_goes_back_to_the_admin_page_asked_for(client, world):
    from tests.integration.staff.staff_world import PASSWORD

    response = client.get("/admin/users")
    login = response.headers["Location"]
    response = client.post("/staff/login", data={
        "csrf_token": csrf(client, login), "email": "admin@city.example.fi",
        "password": PASSWORD, "next": "/admin/users"})
    assert (response.status_code, response.headers["Location"]) == (303, "/admin/users")


def test_the_admin_opens_every_admin_page(app, admin_client, world):
    pages = [rule.rule for rule in _admin_rules(app)
             if "GET" in rule.methods and not rule.arguments]
    assert len(pages) >= 8
    for path in pages:
        response = admin_client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:500])
        assert response.headers["Cache-Control"] == "no-store"


def test_an_admin_form_without_its_csrf_token_is_refused_and_changes_nothing(
        admin_client, session, world):
    for path, data in (("/admin/categories/new", {"code": "graffiti", "name_fi": "T",
                                                  "name_sv": "K", "name_en": "G",
                                                  "publish_policy": "moderated",
                                                  "handling_days": "5"}),
                       ("/admin/parties/new", {"name": "Uusi Oy", "kind": "unit"}),
                       (f"/admin/users/{world.users['manager'].id}",
                        {"role": "admin", "active": "1"})):
        response = admin_client.post(path, data=data)
        assert response.status_code == 400, path
    assert all_changes(session) == []
    session.expire_all()
    assert world.users["manager"].role == "manager"


def test_the_staff_navigation_offers_the_admin_pages_to_admins_only(client, world):
    sign_in_as(client, world.users["admin"])
    assert 'href="/admin/' in client.get("/staff/").get_data(as_text=True)
    sign_in_as(client, world.users["manager"])
    assert 'href="/admin/' not in client.get("/staff/").get_data(as_text=True)


def test_the_admin_navigation_links_to_the_zones_pages(admin_client, world):
    assert 'href="/admin/zones?lang=en"' in admin_client.get("/admin/").get_data(as_text=True)

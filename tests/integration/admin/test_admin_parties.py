"""Parties on the admin pages: created and changed through the CLI's services, refused on
the field with nothing stored, every change in the party's history."""
from __future__ import annotations

from sqlalchemy import func, select

from feedbackgis.models import Party
from tests.integration.admin.conftest import all_changes, changes_of


def _party(session, name):
    session.expire_all()
    return session.scalar(select(Party).where(Party.name == name))


def test_an_admin_creates_a_party_and_its_page_shows_it_in_the_history(
        post, session, world, admin_client):
    response = post("/admin/parties/new", {
        "name": "Viheralue Oy", "kind": "contractor",
        "emails": "tyonjohto@viher.example.fi\npaivystys@viher.example.fi",
        "manager_email": "pomo@viher.example.fi"})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    party = _party(session, "Viheralue Oy")
    assert (party.kind, party.emails, party.manager_email, party.active) == (
        "contractor", ["tyonjohto@viher.example.fi", "paivystys@viher.example.fi"],
        "pomo@viher.example.fi", True)
    [change] = changes_of(session, "party", party.id)
    assert (change.action, change.actor, change.after["emails"]) == (
        "create", "admin@city.example.fi", party.emails)
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "pomo@viher.example.fi" in page and "Created" in page


def test_a_taken_name_or_a_bad_email_is_refused_beside_its_field(post, session, world):
    count = session.scalar(select(func.count()).select_from(Party))
    taken = post("/admin/parties/new", {"name": world.unit_a.name, "kind": "unit"})
    assert taken.status_code == 409
    assert 'id="field-name-error"' in taken.get_data(as_text=True)
    bad = post("/admin/parties/new", {"name": "Kadut", "kind": "unit", "emails": "not-an-address"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'id="field-emails-error"' in page and "not-an-address" in page
    manager = post("/admin/parties/new", {"name": "Kadut", "kind": "unit", "manager_email": "x@"})
    assert manager.status_code == 422
    assert 'id="field-manager_email-error"' in manager.get_data(as_text=True)
    nameless = post("/admin/parties/new", {"name": " ", "kind": "unit"})
    assert nameless.status_code == 422
    odd_kind = post("/admin/parties/new", {"name": "Kadut", "kind": "company"})
    assert odd_kind.status_code == 422
    assert 'id="field-kind-error"' in odd_kind.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Party)) == count
    assert all_changes(session) == []


def test_editing_a_party_records_the_changed_fields_only(post, session, world):
    unit = world.unit_b
    response = post(f"/admin/parties/{unit.id}", {
        "kind": "unit", "emails": "puistot@city.example.fi", "manager_email": "", "active": "1"})
    assert response.status_code == 303
    assert _party(session, unit.name).emails == ["puistot@city.example.fi"]
    [change] = changes_of(session, "party", unit.id)
    assert (change.before, change.after) == ({"emails": []},
                                             {"emails": ["puistot@city.example.fi"]})
    response = post(f"/admin/parties/{unit.id}", {
        "kind": "unit", "emails": "puistot@city.example.fi", "manager_email": "boss@city.example.fi"})
    assert response.status_code == 303
    changed = _party(session, unit.name)
    assert (changed.active, changed.manager_email) == (False, "boss@city.example.fi")
    assert changes_of(session, "party", unit.id)[-1].after == {
        "active": False, "manager_email": "boss@city.example.fi"}


def test_a_party_with_staff_users_keeps_its_kind(post, session, world):
    unit = world.unit_a  # handler_a belongs to it
    response = post(f"/admin/parties/{unit.id}", {"kind": "contractor", "emails": "",
                                                  "active": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="field-kind-error"' in page
    assert _party(session, unit.name).kind == "unit" and all_changes(session) == []


def test_a_saving_that_changes_nothing_adds_nothing_to_the_history(post, session, world):
    unit = world.unit_a
    response = post(f"/admin/parties/{unit.id}", {"kind": "unit", "emails": "",
                                                  "manager_email": "", "active": "1"})
    assert response.status_code == 303 and all_changes(session) == []


def test_an_admin_sets_a_webhook_and_sees_its_secret_once(post, admin_client, session, world):
    party = world.unit_b
    response = post(f"/admin/parties/{party.id}/webhook",
                    {"webhook_url": "https://erp.example.fi/hooks/feedback"})
    assert response.status_code == 200
    stored = _party(session, party.name)
    assert stored.webhook_url == "https://erp.example.fi/hooks/feedback"
    assert stored.webhook_secret and stored.webhook_secret in response.get_data(as_text=True)
    again = admin_client.get(f"/admin/parties/{party.id}").get_data(as_text=True)
    assert stored.webhook_secret not in again  # shown once, never again
    [change] = changes_of(session, "party", party.id)
    assert change.action == "webhook" and stored.webhook_secret not in str(change.after)
    bad = post(f"/admin/parties/{party.id}/webhook", {"webhook_url": "ftp://x.example.fi/"})
    assert bad.status_code == 422
    assert 'id="field-webhook_url-error"' in bad.get_data(as_text=True)
    removed = post(f"/admin/parties/{party.id}/webhook", {"webhook_url": ""})
    assert removed.status_code == 200
    assert _party(session, party.name).webhook_url is None

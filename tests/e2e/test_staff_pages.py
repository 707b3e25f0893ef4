"""The staff at a desktop: a handler signs in, filters the inbox, answers a resident and
writes an internal note; the resident's follow-up page shows the answer and not the note.
Every staff page passes an axe-core scan (WCAG 2.1 AA)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from shapely.geometry import box
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.services.reports.submission import Contact, NewReport, submit_report
from feedbackgis.services.staff.users import create_user
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import other_errors
from tests.integration.factories import make_category, make_party, make_zone

pytestmark = pytest.mark.e2e

PASSWORD = "kaksi pitkää sanaa"  # noqa: S105 - the test's own
REPLY = "Kiitos! Vaihdamme lampun torstaina."
NOTE = "Sisäinen: tilaa lamppu varastosta 7."


@pytest.fixture
def office(seed_session: Session, live_server) -> dict:
    """A unit with its handler, a manager and a moderator, and two reports of the unit."""
    unit = make_party(seed_session, "Katuvalaistus")
    make_zone(seed_session, unit, box(24.0, 60.0, 25.5, 60.6))
    make_category(seed_session, "streetlight")
    make_category(seed_session, "pothole")
    seed_session.commit()
    secret = live_server.app.config["SECRET_KEY"]
    lamp = submit_report(seed_session, NewReport(
        category="streetlight", description="Katuvalo <b>ei pala</b> koulun kohdalla",
        lon=24.94, lat=60.17, language="fi",
        contact=Contact(name="Aino Asukas", email="aino@example.fi")), secret_key=secret)
    hole = submit_report(seed_session, NewReport(
        category="pothole", description="Kuoppa pyörätiellä", lon=24.95, lat=60.18,
        language="fi"), secret_key=secret)
    users = {role: create_user(seed_session, f"{role}@city.example.fi", role, PASSWORD,
                               party=unit.name if role is Role.HANDLER else None,
                               name=f"{role.value.title()} Testi")
             for role in (Role.HANDLER, Role.MANAGER, Role.MODERATOR)}
    return {"lamp": lamp, "hole": hole, "users": users}


def _sign_in(page, email: str) -> None:
    page.goto("/staff/login")
    page.get_by_label("Sähköpostiosoite").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()


def test_a_handler_answers_a_resident_who_sees_the_answer_and_not_the_note(
        open_phone_page, office, live_server):
    page, events = open_phone_page(desktop=True)
    _sign_in(page, "handler@city.example.fi")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    lamp_id, hole_id = office["lamp"].report.id, office["hole"].report.id
    page.locator("#filter-category").select_option(label="streetlight fi")
    page.locator(".inbox-filters").get_by_role("button").click()
    table = page.locator("table")
    expect(table.get_by_role("link", name=f"#{lamp_id}", exact=False).first).to_be_visible()
    expect(table.get_by_role("link", name=f"#{hole_id}", exact=False)).to_have_count(0)
    table.get_by_role("link", name=f"#{lamp_id}", exact=False).first.click()
    expect(page.locator(".report-description").first).to_have_text(
        "Katuvalo <b>ei pala</b> koulun kohdalla")
    page.get_by_role("textbox", name="Vastauksesi").fill(REPLY)
    page.get_by_role("button", name="Lähetä vastaus").click()
    expect(page.get_by_role("status")).to_contain_text("Vastauksesi lähetettiin")
    page.get_by_role("textbox", name="Muistiinpano").fill(NOTE)
    page.get_by_role("button", name="Tallenna muistiinpano").click()
    history = page.locator(".staff-history")
    expect(history.locator(".staff-history__event--public")).to_contain_text([REPLY])
    expect(history.locator(".staff-history__event--internal").filter(has_text=NOTE)).to_have_count(1)
    # Only the map's tiles may fail (the browser is offline); nothing of our own.
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []

    resident, _ = open_phone_page()
    resident.goto(f"/follow/{office['lamp'].follow_up_token}")
    expect(resident.locator(".report-history")).to_contain_text(REPLY)
    expect(resident.locator("body")).not_to_contain_text(NOTE)
    resident.goto(f"/reports/{lamp_id}")
    expect(resident.locator(".report-history")).to_contain_text(REPLY)
    expect(resident.locator("body")).not_to_contain_text("Aino")


@pytest.mark.parametrize("role", [Role.HANDLER, Role.MANAGER, Role.MODERATOR])
def test_every_staff_page_passes_the_accessibility_scan(open_phone_page, office, role):
    page, _ = open_phone_page(desktop=True)
    for path in ("/staff/login", "/staff/password-reset", "/staff/password-reset/not-a-token"):
        page.goto(path)
        assert serious_violations(page) == [], path
    _sign_in(page, f"{role}@city.example.fi")
    lamp_id = office["lamp"].report.id
    paths = ["/staff/", f"/staff/reports/{lamp_id}"]
    paths += {Role.MANAGER: ["/staff/triage"], Role.MODERATOR: ["/staff/moderation"]}.get(role, [])
    for path in paths:
        for language in ("fi", "sv", "en"):
            page.goto(f"{path}?lang={language}")
            assert serious_violations(page) == [], f"{path} in {language}"

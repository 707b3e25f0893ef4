"""The admin at a desktop: signs in, creates a category with a question in the browser, is
refused a duplicate code beside the field, creates an Open311 API key and sees it once; every
admin page (a refused form, the new key's page, the Open311 deliveries and a party's Open311
system included) passes an axe-core scan (WCAG 2.1 AA) in Finnish, Swedish and English."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.models import AdminChange, ApiKey, Category, Party
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.catalog.party_open311 import Open311Settings, set_party_open311
from feedbackgis.services.catalog.questions import QuestionFields, add_question
from feedbackgis.services.catalog.response_templates import TemplateFields, create_template
from feedbackgis.services.open311.api_keys import KEY_PATTERN, create_api_key
from feedbackgis.services.staff.users import create_user
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import other_errors
from tests.integration.factories import make_category, make_party, make_report

pytestmark = pytest.mark.e2e

PASSWORD = "kaksi pitkää sanaa"  # noqa: S105 - the test's own
ADMIN = "admin@city.example.fi"


@pytest.fixture
def service(seed_session: Session) -> dict:
    """An admin, a unit with its handler, a category with a question, a template and an
    Open311 API key."""
    unit = make_party(seed_session, "Katuvalaistus", emails=["valot@city.example.fi"])
    category = make_category(seed_session, "streetlight", default_party=unit)
    seed_session.commit()
    admin = create_user(seed_session, ADMIN, Role.ADMIN, PASSWORD, name="Admin Testi")
    handler = create_user(seed_session, "handler@city.example.fi", Role.HANDLER, PASSWORD,
                          party=unit.name, actor=admin)
    add_question(seed_session, "streetlight", "pole", QuestionFields(
        "text", "Pylvään numero?", "Stolpens nummer?", "Pole number?"), actor=admin)
    template = create_template(seed_session, TemplateFields(
        "fixed", "streetlight", "Lamppu vaihdettu", "Vaihdoimme lampun.", "Vi bytte lampan.",
        "We changed the lamp."), actor=admin)
    create_api_key(seed_session, "Kaupungin sovellus", actor=admin)
    return {"unit": unit, "category": category, "handler": handler, "template": template}


def _sign_in(page) -> None:
    page.goto("/admin/")
    page.get_by_label("Sähköpostiosoite").fill(ADMIN)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_an_admin_creates_a_category_in_the_browser_and_is_refused_a_duplicate(
        open_phone_page, service, seed_session, live_server):
    page, events = open_phone_page(desktop=True)
    _sign_in(page)
    page.goto("/admin/categories/new?lang=en")
    page.get_by_label("Code").fill("graffiti")
    names = page.locator("fieldset", has_text="Name").first
    names.get_by_label("In Finnish").fill("Töhry")
    names.get_by_label("In Swedish").fill("Klotter")
    names.get_by_label("In English").fill("Graffiti")
    page.get_by_label("Default party").select_option(label="Katuvalaistus")
    page.get_by_label("Handling time in working days").fill("5")
    page.get_by_role("button", name="Create the category").click()
    expect(page.get_by_role("status")).to_contain_text("Created")
    expect(page.locator(".admin-history")).to_contain_text(ADMIN)

    page.locator("#question-code").fill("depth")
    page.get_by_label("Kind of answer").select_option("number")
    page.get_by_label("The question in Finnish").fill("Kuinka syvä?")
    page.get_by_label("The question in Swedish").fill("Hur djup?")
    page.get_by_label("The question in English").fill("How deep?")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_role("status")).to_contain_text("The question was added")
    expect(page.locator("#questions table.staff-table")).to_contain_text("How deep?")

    page.goto("/admin/categories/new?lang=en")
    page.get_by_label("Code").fill("streetlight")
    for label in ("In Finnish", "In Swedish", "In English"):
        page.locator("fieldset", has_text="Name").first.get_by_label(label).fill("Valo")
    page.get_by_role("button", name="Create the category").click()
    expect(page.locator("#field-code-error")).to_contain_text("exists already")
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    assert serious_violations(page) == []

    seed_session.expire_all()
    codes = seed_session.scalars(select(Category.code).order_by(Category.code)).all()
    assert codes == ["graffiti", "streetlight"]
    graffiti = seed_session.scalar(select(Category.id).where(Category.code == "graffiti"))
    changes = seed_session.execute(select(AdminChange.actor, AdminChange.action).where(
        AdminChange.entity == "category", AdminChange.entity_id == str(graffiti))
        .order_by(AdminChange.id)).all()
    assert changes == [(ADMIN, "create"), (ADMIN, "add_question")]
    # The refused form's own 409 is the only error the browser reports.
    assert [("409" in error) for error in other_errors(events, live_server)] == [True]
    assert events.uncaught_errors == []


def test_every_admin_page_passes_the_accessibility_scan_in_every_language(
        open_phone_page, service, seed_session):
    page, events = open_phone_page(desktop=True)
    _sign_in(page)
    unit_id = seed_session.scalar(select(Party.id).where(Party.name == "Katuvalaistus"))
    paths = ["/admin/", "/admin/categories", "/admin/categories/new",
             f"/admin/categories/{service['category'].id}", "/admin/templates",
             "/admin/templates/new", f"/admin/templates/{service['template'].id}",
             "/admin/parties", "/admin/parties/new", f"/admin/parties/{unit_id}",
             "/admin/users", "/admin/users/new", f"/admin/users/{service['handler'].id}",
             "/admin/jobs", "/admin/api-keys", "/admin/history"]
    for path in paths:
        for language in ("fi", "sv", "en"):
            page.goto(f"{path}?lang={language}")
            assert page.locator("html").get_attribute("lang") == language
            assert serious_violations(page) == [], f"{path} in {language}"
    assert events.uncaught_errors == []


def test_a_refused_form_passes_the_accessibility_scan(open_phone_page, service):
    page, _ = open_phone_page(desktop=True)
    _sign_in(page)
    for language in ("fi", "sv", "en"):
        page.goto(f"/admin/parties/new?lang={language}")
        page.locator("#field-name").fill("Katuvalaistus")
        page.locator("#field-emails").fill("not-an-address")
        page.locator("form.admin-form button[type=submit]").click()
        expect(page.locator("#field-name-error")).to_be_visible()
        assert serious_violations(page) == [], language


def test_a_new_api_key_is_shown_once_on_a_page_that_passes_the_accessibility_scan(
        open_phone_page, service, seed_session):
    page, events = open_phone_page(desktop=True)
    _sign_in(page)
    for number, language in enumerate(("fi", "sv", "en")):
        page.goto(f"/admin/api-keys?lang={language}")
        expect(page.locator("table.staff-table")).to_contain_text("Kaupungin sovellus")
        page.locator("#field-name").fill(f"Toinen järjestelmä {number}")
        page.locator("form.admin-form button[type=submit]").click()
        key = page.locator("#new-api-key")
        expect(key).to_be_visible()
        assert KEY_PATTERN.fullmatch(key.input_value())
        assert page.locator("html").get_attribute("lang") == language
        assert serious_violations(page) == [], f"the new key's page in {language}"
        # Shown once: the list names the system, never the key.
        shown = key.input_value()
        page.goto(f"/admin/api-keys?lang={language}")
        expect(page.locator("table.staff-table")).to_contain_text(f"Toinen järjestelmä {number}")
        assert shown not in page.content()
    names = seed_session.scalars(select(ApiKey.name).order_by(ApiKey.id)).all()
    assert names == ["Kaupungin sovellus"] + [f"Toinen järjestelmä {n}" for n in range(3)]
    assert events.uncaught_errors == []


@pytest.fixture
def deliveries(service, seed_session: Session) -> Party:
    """A party with its own Open311 system (key, jurisdiction, service codes set), one report
    sent there and one whose delivery failed."""
    party = make_party(seed_session, "Kaupunki Oy")
    seed_session.commit()
    set_party_open311(seed_session, party, Open311Settings(
        url="https://kaupunki.example/open311/v2", api_key="their-key-1234",
        jurisdiction_id="kaupunki.example", service_codes={"streetlight": "SL-01"}))
    sent, failed = (make_report(seed_session, service["category"], party=party)
                    for _ in range(2))
    seed_session.add_all([
        Open311Delivery(report_id=sent.id, party_id=party.id, state=DeliveryState.SENT,
                        service_request_id="SR-881", attempts=1, sent_at=func.now(),
                        updated_at=func.now()),
        Open311Delivery(report_id=failed.id, party_id=party.id, state=DeliveryState.FAILED,
                        attempts=5, last_error="HTTP 502 from the system",
                        updated_at=func.now())])
    seed_session.commit()
    return party


def test_the_open311_deliveries_and_a_party_system_pass_the_accessibility_scan(
        open_phone_page, deliveries, seed_session):
    page, events = open_phone_page(desktop=True)
    _sign_in(page)
    for language in ("fi", "sv", "en"):
        page.goto(f"/admin/open311-deliveries?lang={language}")
        expect(page.locator("table.staff-table").first).to_contain_text("HTTP 502")
        expect(page.locator("body")).to_contain_text("SR-881")
        assert page.locator("html").get_attribute("lang") == language
        assert serious_violations(page) == [], f"the deliveries in {language}"
        page.goto(f"/admin/parties/{deliveries.id}?lang={language}")
        expect(page.locator("#open311-open311_url")).to_have_value(
            "https://kaupunki.example/open311/v2")
        assert serious_violations(page) == [], f"the party's Open311 system in {language}"
        page.locator("#open311-open311_url").fill("ftp://kaupunki.example")
        page.locator("#open311-heading ~ form button[type=submit]").click()
        expect(page.locator("#open311-open311_url-error")).to_be_visible()
        assert serious_violations(page) == [], f"a refused Open311 system in {language}"
    assert events.uncaught_errors == []

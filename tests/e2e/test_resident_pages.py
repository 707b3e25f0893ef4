"""The resident pages on a phone: the report form without JavaScript from start to finish,
and an axe-core scan of every page (no serious or critical WCAG 2.1 A/AA violation)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from shapely.geometry import box
from sqlalchemy.orm import Session

from feedbackgis.domain.tokens import CONFIRM, UNSUBSCRIBE, derive_token
from feedbackgis.services.reports.submission import Contact, NewReport, submit_report
from tests.e2e.accessibility import serious_violations
from tests.integration.factories import (
    make_category,
    make_follower,
    make_party,
    make_service_area,
    make_zone,
)

pytestmark = pytest.mark.e2e
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def municipality(seed_session: Session) -> None:
    make_service_area(seed_session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(seed_session, "Katujen kunnossapito", emails=["kadut@example.fi"])
    make_zone(seed_session, party, box(24.8, 60.1, 25.1, 60.3))
    make_category(seed_session, "pothole")
    seed_session.commit()


@pytest.fixture
def published(seed_session: Session, live_server, municipality) -> dict[str, str]:
    """A published report (with a description that tries to run a script)."""
    submitted = submit_report(
        seed_session,
        NewReport(category="pothole", description=f"Kuoppa {XSS}", lon=24.94, lat=60.17,
                  contact=Contact(name="Maija Meikäläinen", email="maija@example.fi")),
        secret_key=live_server.app.config["SECRET_KEY"],
    )
    # A follower waiting for confirmation: its confirm link, then its unsubscribe page.
    follower = make_follower(seed_session, submitted.report, confirmed=False)
    seed_session.commit()
    secret = live_server.app.config["SECRET_KEY"]
    return {"public": f"/reports/{submitted.report.id}",
            "follow_up": f"/follow/{submitted.follow_up_token}",
            "confirm": f"/confirm/follower/{derive_token(secret, CONFIRM, follower.token_nonce)}",
            "unsubscribe": "/unsubscribe/follower/"
                           + derive_token(secret, UNSUBSCRIBE, follower.token_nonce)}


def _watch_dialogs(page: Page) -> list[str]:
    """alert(1) of the description would open a dialog: collect any (and close it)."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def test_a_report_sent_without_javascript_reaches_its_follow_up_page_and_takes_more_information(
    open_phone_page, municipality,
):
    page, events = open_phone_page("fi-FI", javascript=False)
    page.goto("/")
    page.get_by_role("link", name="Tee ilmoitus").click()
    page.get_by_label("pothole fi").check()
    page.get_by_label("Paikka").fill("Koulun takana kulkeva polku")
    page.get_by_label("Kuvaus").fill(f"Syvä kuoppa {XSS}")
    page.get_by_label("Sähköposti").fill("asukas@example.fi")
    page.get_by_role("button", name="Lähetä ilmoitus").click()

    expect(page.get_by_role("heading", name="Kiitos, ilmoituksesi on lähetetty")).to_be_visible()
    expect(page.locator(".report-status")).to_have_text("Odottaa ohjausta")  # staff pin it
    expect(page.locator(".report-description")).to_have_text(f"Syvä kuoppa {XSS}")
    assert re.search(r"/follow/[\w-]+", page.url)

    page.get_by_label("Mitä haluat lisätä?").fill("Kuoppa on pyörätien puolella.")
    page.get_by_role("button", name="Lisää ilmoitukseen").click()
    expect(page.get_by_text("Kiitos, tietosi lisättiin ilmoitukseen.")).to_be_visible()
    expect(page.get_by_text("Kuoppa on pyörätien puolella.")).to_be_visible()
    assert events.blocked_urls == []


def test_a_form_with_mistakes_says_what_to_fix_next_to_each_field(open_phone_page,
                                                                  municipality):
    page, _events = open_phone_page("sv-FI", javascript=False)
    page.goto("/report?lang=sv")
    page.get_by_label("E-post").fill("inte-en-adress")
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_role("alert")).to_contain_text("Välj ämne för din anmälan.")
    expect(page.locator("#field-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_have_text(
        "Kontrollera e-postadressen, till exempel namn@exempel.fi.")
    expect(page.locator("#field-email")).to_have_value("inte-en-adress")


def _pages(published: dict[str, str]) -> dict[str, str]:
    return {
        "landing": "/", "report form": "/report", "accessibility statement": "/accessibility",
        "public report": published["public"], "follow-up": published["follow_up"],
        "follow-up after sending": published["follow_up"] + "?sent=1",
        "unknown follow-up link": "/follow/no-such-token",
        "invalid confirmation link": "/confirm/follower/no-such-token",
        "confirmed follower": published["confirm"],
        "unsubscribe page": published["unsubscribe"],
        "not found": "/no-such-page",
    }


@pytest.mark.parametrize("language", ["fi-FI", "sv-FI", "en-GB"])
def test_every_resident_page_passes_an_axe_scan(open_phone_page, published, language):
    page, events = open_phone_page(language)
    dialogs = _watch_dialogs(page)
    found = {}
    for name, path in _pages(published).items():
        page.goto(path)
        found[name] = serious_violations(page)
    assert {name: violations for name, violations in found.items() if violations} == {}
    assert events.uncaught_errors == [] and dialogs == []


def test_the_form_with_errors_passes_an_axe_scan(open_phone_page, municipality):
    page, _events = open_phone_page()
    page.goto("/report")
    page.get_by_role("button", name="Lähetä ilmoitus").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert serious_violations(page) == []


def test_a_description_that_tries_to_run_a_script_is_shown_as_text_everywhere(
    open_phone_page, published,
):
    page, _events = open_phone_page()
    dialogs = _watch_dialogs(page)
    for path in (published["public"], published["follow_up"]):
        page.goto(path)
        expect(page.locator(".report-description")).to_have_text(f"Kuoppa {XSS}")
        assert page.locator(".report-description img").count() == 0
    assert dialogs == []


def test_the_public_page_lets_a_neighbour_follow_instead_of_reporting_again(
    open_phone_page, published,
):
    page, _events = open_phone_page("en-GB", javascript=False)
    page.goto(published["public"] + "?lang=en")
    content = page.content()
    assert "Maija" not in content and "maija@example.fi" not in content
    page.get_by_label("Email").fill("neighbour@example.fi")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_text("we sent a confirmation link")).to_be_visible()


def test_the_scan_reports_violations_when_a_page_has_them(open_phone_page, live_server):
    # The scan must be able to fail: a page with an unlabelled field and an image without a
    # text alternative.
    page, _events = open_phone_page()
    page.goto("/accessibility")
    page.set_content('<html lang="fi"><body><main><img src="/static/x.png">'
                     '<input type="text"></main></body></html>')
    found = " ".join(serious_violations(page))
    assert "image-alt" in found and "label" in found

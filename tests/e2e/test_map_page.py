"""The map page with its scripts, on a phone: the pin, sending through the JSON API, the
"is it one of these?" question, reports kept on the device with no signal and sent later
exactly once, report texts shown as text, and the page's accessibility with tiles failing."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect
from shapely.geometry import box
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.models import Report, ReportFollower
from feedbackgis.services.reports.submission import NewReport, submit_report
from feedbackgis.web.security import tile_origin
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import LiveServer, other_errors
from tests.integration.factories import make_category, make_party, make_service_area, make_zone

pytestmark = pytest.mark.e2e
XSS = "<img src=x onerror=alert(1)>"
# A small area: the map fits it closely, so its reports are drawn one by one.
AREA = box(24.93, 60.165, 24.95, 60.175)
CENTRE = (24.94, 60.17)
FOLLOW_UP = re.compile(r"/follow/[\w-]+\?(?=.*\bsent=1\b)(?=.*\blang=fi\b)")


@pytest.fixture
def municipality(seed_session: Session, live_server: LiveServer, monkeypatch) -> None:
    make_service_area(seed_session, AREA)
    party = make_party(seed_session, "Katujen kunnossapito", emails=["kadut@example.fi"])
    make_zone(seed_session, party, box(24.9, 60.1, 25.0, 60.2))
    make_category(seed_session, "pothole")
    make_category(seed_session, "graffiti")
    seed_session.commit()
    # The follow-up link of an answer is built on PUBLIC_BASE_URL: here, the served app.
    monkeypatch.setitem(live_server.app.config, "PUBLIC_BASE_URL", live_server.url)


def publish(seed_session: Session, live_server: LiveServer, lon: float, lat: float,
            description: str = "Syvä kuoppa", category: str = "pothole") -> int:
    submitted = submit_report(
        seed_session, NewReport(category=category, description=description, lon=lon, lat=lat),
        secret_key=live_server.app.config["SECRET_KEY"])
    return submitted.report.id


def report_count(seed_session: Session) -> int:
    seed_session.expire_all()
    return seed_session.scalar(select(func.count()).select_from(Report))


def watch_dialogs(page: Page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def open_map(page: Page, path: str = "/") -> None:
    page.goto(path)
    expect(page.locator("#area-map .leaflet-overlay-pane svg path")).to_have_count(1)
    expect(page.locator("#report-list-status")).not_to_be_empty()  # the reports have come


def tap_map_centre(page: Page) -> None:
    size = page.locator("#area-map").bounding_box()
    page.locator("#area-map").tap(position={"x": size["width"] / 2, "y": size["height"] / 2})


def describe(page: Page, text: str = "Syvä kuoppa pyörätiellä") -> None:
    form = page.locator("#report-form")
    form.get_by_label("pothole fi").check()
    form.get_by_label("Kuvaus").fill(text)


def send(page: Page) -> None:
    page.get_by_role("button", name="Lähetä ilmoitus").click()


def test_a_report_pinned_by_tapping_the_map_is_sent_and_lands_on_its_follow_up_page(
    municipality, phone_page, seed_session, live_server,
):
    page, events = phone_page
    open_map(page)
    tap_map_centre(page)
    expect(page.locator("#pin-coordinates")).to_contain_text(re.compile(r"60\.1\d{4}, 24\.9\d{4}"))
    expect(page.locator("#area-map .leaflet-marker-icon")).to_have_count(1)
    describe(page)
    send(page)

    expect(page).to_have_url(FOLLOW_UP)
    expect(page.get_by_role("heading", name="Kiitos, ilmoituksesi on lähetetty")).to_be_visible()
    assert report_count(seed_session) == 1
    report = seed_session.scalars(select(Report)).one()
    assert report.location is not None and report.category.code == "pothole"
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []


def test_a_nearby_open_report_of_the_same_topic_is_offered_and_can_be_followed_instead(
    municipality, phone_page, seed_session, live_server,
):
    page, _events = phone_page
    open_map(page)
    page.get_by_role("button", name="Aseta nuppineula kartan keskelle").click()
    lon = float(page.locator('#report-form input[name="lon"]').input_value())
    lat = float(page.locator('#report-form input[name="lat"]').input_value())
    publish(seed_session, live_server, lon + 0.0003, lat, description="Kuoppa jo ilmoitettu")
    publish(seed_session, live_server, lon, lat, description="Töhry seinässä", category="graffiti")
    describe(page)
    send(page)

    panel = page.locator("#duplicates")
    expect(panel.get_by_role("heading", name="Onko se jokin näistä?")).to_be_focused()
    expect(panel.locator(".duplicates__item")).to_have_count(1)  # the same topic only
    expect(panel).to_contain_text("Kuoppa jo ilmoitettu")
    panel.get_by_label("Sähköposti").fill("naapuri@example.fi")
    panel.get_by_role("button", name="Seuraa tätä ilmoitusta").click()
    expect(panel.get_by_role("status")).to_contain_text("Vahvista seuraaminen")

    assert report_count(seed_session) == 2  # the two published above; nothing sent
    seed_session.expire_all()
    assert seed_session.scalars(select(ReportFollower.email)).all() == ["naapuri@example.fi"]
    expect(panel.get_by_role("button", name="Mikään näistä: lähetä ilmoitukseni")).to_be_visible()


def wait_for_offline_shell(page: Page) -> None:
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")


def fill_offline_report(page: Page) -> None:
    describe(page, "Kuoppa kirjoitettu ilman yhteyttä")
    page.locator("#report-form").get_by_label("Paikka").fill("Koulun takana")


def test_a_report_written_with_no_signal_waits_and_is_sent_by_itself_when_it_returns(
    municipality, phone_page, seed_session,
):
    page, _events = phone_page
    open_map(page)
    wait_for_offline_shell(page)
    context: BrowserContext = page.context
    context.set_offline(True)
    fill_offline_report(page)
    send(page)

    outbox = page.locator("#outbox")
    expect(outbox.get_by_role("status")).to_have_text("Lähetystä odottavia ilmoituksia: 1")
    expect(outbox.locator(".outbox-list__item")).to_contain_text("Odottaa yhteyttä")
    assert report_count(seed_session) == 0

    page.reload()  # still offline: the page comes from the service worker's copy
    expect(page.locator("h1")).to_have_text("Anna palautetta kartalla")
    expect(outbox.locator(".outbox-list__item")).to_have_count(1)

    context.set_offline(False)
    expect(outbox.get_by_role("status")).to_have_text("Kaikki odottaneet ilmoitukset on lähetetty.")
    expect(outbox.get_by_role("link", name="Avaa sen seurantasivu")).to_be_visible()
    assert report_count(seed_session) == 1
    # It waited on the phone: the usage figures count it as sent offline, from a browser.
    report = seed_session.scalars(select(Report)).one()
    assert report.sent_offline is True
    assert report.submitted_from in {"phone", "computer"}
    page.reload()
    expect(page.locator("#report-list-status")).not_to_be_empty()
    assert report_count(seed_session) == 1


def test_a_report_whose_answer_was_lost_is_sent_again_and_stored_once(
    municipality, phone_page, seed_session,
):
    page, _events = phone_page
    open_map(page)

    def lose_the_answer(route: Route) -> None:
        route.fetch()  # the server stores the report...
        route.abort("connectionreset")  # ...and the phone never hears of it

    page.route("**/api/v1/reports", lose_the_answer)
    fill_offline_report(page)
    send(page)
    expect(page.locator("#outbox .outbox-list__item")).to_contain_text("Odottaa yhteyttä")
    assert report_count(seed_session) == 1

    page.unroute("**/api/v1/reports")
    page.reload()  # the page sends what waits, with the same Idempotency-Key
    expect(page.locator("#outbox").get_by_role("status")).to_have_text(
        "Kaikki odottaneet ilmoitukset on lähetetty.")
    assert report_count(seed_session) == 1
    # The resend (with sent_offline) was the same request for its key: the report stays as
    # the first send stored it.
    assert seed_session.scalars(select(Report.sent_offline)).one() is False


def test_a_description_with_markup_is_shown_as_text_in_the_popup_and_the_list(
    municipality, phone_page, seed_session, live_server,
):
    publish(seed_session, live_server, *CENTRE, description=f"Kuoppa {XSS}")
    page, events = phone_page
    dialogs = watch_dialogs(page)
    open_map(page)

    expect(page.locator(".report-list__description")).to_have_text(f"Kuoppa {XSS}")
    tap_map_centre(page)
    popup = page.locator(".leaflet-popup .report-popup")
    expect(popup.locator(".report-popup__description")).to_have_text(f"Kuoppa {XSS}")
    expect(popup.get_by_role("link", name="Avaa ilmoitus")).to_have_attribute(
        "href", re.compile(r"^/reports/\d+\?lang=fi$"))
    assert page.locator("#main img[src='x']").count() == 0
    assert dialogs == [] and events.uncaught_errors == []


def test_the_map_page_with_reports_passes_an_axe_scan(
    municipality, phone_page, seed_session, live_server,
):
    publish(seed_session, live_server, *CENTRE)
    page, _events = phone_page
    open_map(page)
    expect(page.locator(".report-list__item")).to_have_count(1)
    page.get_by_role("button", name="Aseta nuppineula kartan keskelle").click()
    assert serious_violations(page) == []


def test_the_map_page_works_with_tiles_failing_and_logs_no_errors(
    municipality, phone_page, seed_session, live_server,
):
    publish(seed_session, live_server, *CENTRE)
    page, events = phone_page
    open_map(page)
    expect(page.locator(".report-list__item")).to_have_count(1)
    expect(page.locator("#area-map canvas")).to_have_count(1)  # the reports' layer
    page.locator("#report-filters").get_by_label("Korjatut").check()
    expect(page.locator("#report-list-status")).to_have_text(
        "Kartan alueella ei ole ilmoituksia näillä valinnoilla.")
    page.wait_for_load_state("networkidle")

    assert events.blocked_urls and all(
        url.startswith(tile_origin(live_server.app.config["MAP_TILE_URL"]))
        for url in events.blocked_urls)
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []
    expect(page.locator("#reports-status")).to_be_empty()


def test_a_refused_location_says_so_and_the_place_can_still_be_tapped(municipality, phone_page):
    page, _events = phone_page
    open_map(page)
    page.get_by_role("button", name="Käytä sijaintiani").click()
    expect(page.locator("#pin-coordinates")).to_contain_text("Napauta karttaa")

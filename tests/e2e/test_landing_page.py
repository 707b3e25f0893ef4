"""The resident landing page in a phone-sized Chromium: map, categories, languages, basics of a11y."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect
from shapely.geometry import box
from sqlalchemy.orm import Session

from feedbackgis.models import Category
from feedbackgis.web.security import tile_origin
from tests.e2e.support import LiveServer, PageEvents
from tests.integration.factories import make_service_area

pytestmark = pytest.mark.e2e

# Texts of the page in each language, as the catalogs have them.
LANDING_TITLE = {"fi": "Anna palautetta kartalla", "sv": "Ge respons på kartan",
                 "en": "Give feedback on the map"}
MAP_LABEL = {"fi": "Palvelualueen kartta", "sv": "Karta över serviceområdet",
             "en": "Map of the service area"}
AREA_FAILED = {
    "sv": "Serviceområdets gräns kunde inte laddas just nu. Kartan fungerar ändå.",
    "en": "The service area boundary could not be loaded right now. The map still works.",
}

MAP = "#area-map"
AREA_PATH = "#area-map .leaflet-overlay-pane svg path"


def add_category(session: Session, code: str, fi: str, sv: str, *, active: bool = True) -> None:
    session.add(Category(code=code, name_fi=fi, name_sv=sv, name_en=f"{fi} (en)", active=active))


@pytest.fixture
def municipality(seed_session: Session) -> None:
    make_service_area(seed_session, box(24.78, 60.13, 25.25, 60.30), name="Testikaupunki")
    add_category(seed_session, "streetlight", "Katuvalo", "Gatubelysning")
    add_category(seed_session, "pothole", "Ajoradan kuoppa", "Gropar i körbanan")
    add_category(seed_session, "graffiti", "Töhryt", "Klotter")
    add_category(seed_session, "retired", "Vanha aihe", "Gammalt ämne", active=False)
    seed_session.commit()


def tile_host(live_server: LiveServer) -> str:
    return tile_origin(live_server.app.config["MAP_TILE_URL"]) + "/"


def errors_other_than_tiles(events: PageEvents, live_server: LiveServer) -> list[str]:
    tiles = tile_host(live_server)
    return [m.text for m in events.console_errors if not m.location["url"].startswith(tiles)]


def has_class(css_class: str) -> re.Pattern[str]:
    """For expect(...).to_have_class: the element has this class among others."""
    return re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)")


def category_names(page: Page) -> list[str]:
    return page.locator(".category-list li").all_inner_texts()


def save_screenshot(page: Page, name: str) -> None:
    """Screenshots for a human to look at, where FEEDBACKGIS_E2E_SCREENSHOTS points."""
    directory = os.environ.get("FEEDBACKGIS_E2E_SCREENSHOTS")
    if directory:
        page.screenshot(path=str(Path(directory) / name), full_page=True)


def test_page_loads_without_errors_and_draws_the_service_area(
    municipality, phone_page, live_server
):
    page, events = phone_page
    page.goto("/")

    expect(page.locator(MAP)).to_have_class(has_class("leaflet-container"))
    expect(page.locator(AREA_PATH)).to_have_count(1)
    page.wait_for_load_state("networkidle")
    save_screenshot(page, "landing.png")

    assert errors_other_than_tiles(events, live_server) == []
    assert events.uncaught_errors == []
    # Nothing but tiles may leave the site: no CDN, no fonts, no analytics.
    assert events.blocked_urls, "the map should have asked for tiles"
    assert all(url.startswith(tile_host(live_server)) for url in events.blocked_urls)
    expect(page.locator("#map-status")).to_be_empty()


def test_active_categories_are_listed_in_finnish_alphabetical_order(municipality, phone_page):
    page, _ = phone_page
    page.goto("/")
    assert category_names(page) == ["Ajoradan kuoppa", "Katuvalo", "Töhryt"]


def test_categories_are_listed_in_swedish_with_lang_sv(municipality, phone_page):
    page, _ = phone_page
    page.goto("/?lang=sv")
    assert category_names(page) == ["Gatubelysning", "Gropar i körbanan", "Klotter"]
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_browser_language_chooses_the_page_language(municipality, open_phone_page):
    page, _ = open_phone_page(locale="sv-FI")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text(LANDING_TITLE["sv"])


def test_category_name_with_markup_is_shown_as_text(seed_session, phone_page):
    markup = "<script>alert(1)</script>"
    add_category(seed_session, "hostile", markup, markup)
    seed_session.commit()
    page, _ = phone_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto("/")

    assert category_names(page) == [markup]
    inline_scripts = page.locator("script:not([src])")
    expect(inline_scripts).to_have_count(0)
    assert dialogs == []


def test_language_switcher_opens_the_page_in_the_chosen_language(municipality, phone_page):
    page, _ = phone_page
    page.goto("/")
    expect(page.locator("h1")).to_have_text(LANDING_TITLE["fi"])

    for code, name in (("sv", "Svenska"), ("en", "English"), ("fi", "Suomi")):
        page.get_by_role("navigation").get_by_role("link", name=name).click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.locator("h1")).to_have_text(LANDING_TITLE[code])
        expect(page.get_by_role("link", name=name)).to_have_attribute("aria-current", "true")


@pytest.mark.parametrize("code", ["fi", "sv", "en"])
def test_page_passes_basic_accessibility_checks(municipality, phone_page, code):
    page, _ = phone_page
    page.goto(f"/?lang={code}")
    expect(page.locator(AREA_PATH)).to_have_count(1)  # the map has drawn its images too
    page.wait_for_load_state("networkidle")

    assert page.locator("html").get_attribute("lang") == code
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("img:not([alt])")).to_have_count(0)
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator(MAP)).to_have_attribute("aria-label", MAP_LABEL[code])
    # Nothing may be wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(municipality, phone_page):
    page, _ = phone_page
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Siirry pääsisältöön")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_map_still_shows_with_a_polite_message_when_the_area_fails(
    municipality, phone_page, live_server
):
    page, events = phone_page
    page.route("**/api/v1/area", lambda route: route.fulfill(status=503, json={"error": "down"}))
    page.goto("/?lang=en")

    # The map's own status line (the page has others: the reports, the list, the form).
    status = page.locator("#map-status")
    expect(status).to_have_text(AREA_FAILED["en"])
    expect(page.locator(MAP)).to_have_class(has_class("leaflet-container"))
    expect(page.locator(f"{MAP} .leaflet-control-zoom-in")).to_be_visible()
    expect(page.locator(AREA_PATH)).to_have_count(0)
    expect(page.locator(".category-list li")).to_have_count(3)
    # The browser itself logs the failed response; nothing else may go wrong.
    others = [e for e in errors_other_than_tiles(events, live_server) if "503" not in e]
    assert others == []
    assert events.uncaught_errors == []


def test_area_that_is_not_geojson_counts_as_a_failure(municipality, phone_page):
    page, _ = phone_page

    def not_geojson(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<html>login</html>")

    page.route("**/api/v1/area", not_geojson)
    page.goto("/?lang=sv")
    expect(page.locator("#map-status")).to_have_text(AREA_FAILED["sv"])


def test_without_a_service_area_the_map_keeps_its_default_view_quietly(seed_session, phone_page):
    page, events = phone_page
    page.goto("/")
    expect(page.locator(MAP)).to_have_class(has_class("leaflet-container"))
    page.wait_for_load_state("networkidle")
    expect(page.locator(AREA_PATH)).to_have_count(0)
    expect(page.locator("#map-status")).to_be_empty()
    # The report form on the page says it too; this is the list of topics.
    expect(page.locator(".categories").get_by_text("Palautteen aiheita ei ole vielä määritelty.")
           ).to_be_visible()
    assert events.uncaught_errors == []

"""The hot spots page in the browser: a manager sees the hot spots drawn on the map and
listed below it, opens a hot spot's popup and its report; only the tiles are asked of
anywhere but the service; the page passes the axe scan in every language."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from pyproj import Transformer
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.services.analytics.hot_spots import find_hot_spots
from feedbackgis.services.staff.users import create_user
from feedbackgis.web.security import tile_origin
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import other_errors
from tests.integration.factories import make_category, make_party, make_report

pytestmark = pytest.mark.e2e

PASSWORD = "kaksi pitkää sanaa"  # noqa: S105 - the test's own
TO_WGS84 = Transformer.from_crs(3067, 4326, always_xy=True)
LAMP = (385_500.0, 6_672_000.0)  # four streetlight reports in a square 8 m across
HOLE = (386_500.0, 6_672_000.0)  # three potholes in a row (the hull is a line)


@pytest.fixture
def hot_spots(seed_session: Session, live_server) -> dict:
    unit = make_party(seed_session, "Katuvalaistus")
    lamp, hole = make_category(seed_session, "streetlight"), make_category(seed_session, "pothole")
    reports = []
    for category, centre, offsets in ((lamp, LAMP, [(0, 0), (8, 0), (0, 8), (8, 8)]),
                                      (hole, HOLE, [(0, 0), (20, 0), (40, 0)])):
        for east, north in offsets:
            lon, lat = TO_WGS84.transform(centre[0] + east, centre[1] + north)
            reports.append(make_report(seed_session, category, party=unit, lon=lon, lat=lat))
    seed_session.commit()
    assert find_hot_spots(seed_session, datetime.now(UTC), 30.0, 3).hot_spots == 2
    create_user(seed_session, "manager@city.example.fi", Role.MANAGER, PASSWORD,
                name="Manager Testi")
    return {"reports": reports}


def _sign_in(page) -> None:
    page.goto("/staff/login")
    page.get_by_label("Sähköpostiosoite").fill("manager@city.example.fi")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()


def test_a_manager_sees_the_hot_spots_drawn_and_listed_and_opens_a_report(
        open_phone_page, hot_spots, live_server):
    page, events = open_phone_page(desktop=True)
    _sign_in(page)
    page.goto("/staff/hot-spots?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recurring hot spots")
    items = page.locator(".hot-spots-list ol > li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("streetlight en — reported 4 times in 12 months")
    map_box = page.locator("#hot-spots-map")
    expect(map_box).to_have_attribute("data-drawn", "4")  # two hulls and two centres
    # The square's hull as a filled path, the line's as a stroke, and the centre markers.
    expect(map_box.locator("path.leaflet-interactive")).to_have_count(4)
    expect(page.locator("#hot-spots-map-status")).to_be_empty()
    page.locator("#hot-spots-map path.leaflet-interactive").last.click(force=True)
    popup = page.locator(".hot-spot-popup")
    expect(popup).to_be_visible()
    popup.get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/staff/reports/{hot_spots['reports'][4].id}"
                             "?lang=en")
    tiles = tile_origin(live_server.app.config["MAP_TILE_URL"]) + "/"
    assert all(url.startswith(tiles) for url in events.blocked_urls), events.blocked_urls
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []


def test_the_hot_spots_page_passes_the_accessibility_scan(open_phone_page, hot_spots):
    page, _ = open_phone_page(desktop=True)
    _sign_in(page)
    for language in ("fi", "sv", "en"):
        page.goto(f"/staff/hot-spots?lang={language}")
        expect(page.locator("#hot-spots-map")).to_have_attribute("data-drawn", "4")
        assert serious_violations(page) == [], language
        page.goto(f"/staff/hot-spots?lang={language}&category=nope")
        assert serious_violations(page) == [], f"the refused filter in {language}"

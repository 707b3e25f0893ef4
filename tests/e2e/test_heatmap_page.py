"""The heatmap page at a desktop: the folium map in its frame draws the heat from the
service's own scripts, with its own policy; nothing is asked from another host but the
map tiles (which fail, the browser being offline), and the page passes an axe-core scan."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.services.staff.users import create_user
from feedbackgis.web.security import tile_origin
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import other_errors
from tests.integration.factories import make_category, make_party, make_report

pytestmark = pytest.mark.e2e

PASSWORD = "kaksi pitkää sanaa"  # noqa: S105 - the test's own
EMAIL = "manager@city.example.fi"
SPOTS = [(24.9384, 60.1699)] * 4 + [(24.9500, 60.1750)] * 2 + [(24.9300, 60.1650)]

# The heat canvas's pixels that are not transparent: something was drawn.
DRAWN_PIXELS = """() => {
  const canvas = document.querySelector('canvas.leaflet-heatmap-layer');
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
  return drawn;
}"""


@pytest.fixture
def reports(seed_session: Session) -> int:
    unit = make_party(seed_session, "Katuvalaistus")
    category = make_category(seed_session, "streetlight")
    for lon, lat in SPOTS:
        make_report(seed_session, category, party=unit, lon=lon, lat=lat)
    seed_session.commit()
    create_user(seed_session, EMAIL, Role.MANAGER, PASSWORD, name="Manager Testi")
    return len(SPOTS)


def _sign_in(page) -> None:
    page.goto("/staff/login")
    page.get_by_label("Sähköpostiosoite").fill(EMAIL)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_heatmap_frame_draws_the_heat_asking_nothing_from_outside_but_tiles(
        open_phone_page, reports, live_server):
    page, events = open_phone_page(desktop=True)
    _sign_in(page)
    page.goto("/staff/heatmap?lang=en")
    expect(page.get_by_role("heading", level=1, name="Heatmap")).to_be_visible()
    expect(page.get_by_text(f"{reports} reports with a location match the filters.")).to_be_visible()
    frame_element = page.locator("iframe.heatmap__frame")
    expect(frame_element).to_have_attribute("title", "Heatmap of reports")
    frame = page.frame_locator("iframe.heatmap__frame")
    expect(frame.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    document = page.frame(url=re.compile(r"/staff/heatmap/map\?"))
    assert document is not None
    document.wait_for_function(f"({DRAWN_PIXELS})() > 0", timeout=10_000)
    # Leaflet's own controls came from our copy of Leaflet and its stylesheet applied.
    expect(frame.locator(".leaflet-control-zoom-in")).to_be_visible()
    assert frame.locator(".leaflet-container").evaluate(
        "el => getComputedStyle(el).overflow") == "hidden"

    tiles = tile_origin(live_server.app.config["MAP_TILE_URL"]) + "/"
    assert [url for url in events.blocked_urls if not url.startswith(tiles)] == []
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []
    assert serious_violations(page) == []

"""The managers' dashboard in Chromium at a desk: a manager signs in, the charts are drawn
from the page's own data (Chart.js served by us, nothing from elsewhere), the filters
work, and the page, and its form with a refused filter, pass the axe-core scan."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.services.analytics.refresh import refresh_all_figures
from feedbackgis.services.staff.users import create_user
from tests.e2e.accessibility import serious_violations
from tests.integration.dashboard_world import PERIOD, build_dashboard_world

pytestmark = pytest.mark.e2e

PASSWORD = "kaksi pitkää sanaa"  # noqa: S105 - the test's own
CHARTS = ("months", "parties", "statuses")
# Whether a canvas has any pixel painted (a chart drawn, not only a box of the right size).
PAINTED = """canvas => {
  const { width, height } = canvas;
  const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
}"""


@pytest.fixture
def manager(seed_session: Session, live_server) -> str:
    world = build_dashboard_world(seed_session)
    refresh_all_figures(seed_session, live_server.app.config["TIMEZONE"])
    create_user(seed_session, "manager@city.example.fi", Role.MANAGER, PASSWORD,
                name="Manager Testi")
    seed_session.commit()
    return world


def _sign_in(page, email: str) -> None:
    page.goto("/staff/login")
    page.get_by_label("Sähköpostiosoite").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.locator(".staff-nav")).to_be_visible()


def test_a_manager_sees_the_charts_drawn_and_the_page_passes_axe(
        open_phone_page, manager, live_server):
    page, events = open_phone_page(desktop=True)
    _sign_in(page, "manager@city.example.fi")
    page.goto(f"/staff/dashboard?{PERIOD}")
    # What the inbox's map tiles caused before (the browser is offline); the dashboard
    # asks for nothing from elsewhere.
    events.blocked_urls.clear()
    events.console_errors.clear()
    expect(page.locator("canvas[data-drawn='true']")).to_have_count(len(CHARTS))
    for name in CHARTS:
        canvas = page.locator(f"canvas[data-chart='{name}']")
        box = canvas.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100, name
        # Every chart has its table beside it, the same numbers in text.
        expect(page.locator(f"#table-{name} caption")).to_be_visible()
    page.wait_for_function(f"document.querySelectorAll('canvas[data-drawn]').length === {len(CHARTS)}")
    page.wait_for_timeout(500)  # the bars' short animation
    for name in CHARTS:
        assert page.locator(f"canvas[data-chart='{name}']").evaluate(PAINTED), name
    assert serious_violations(page) == []

    # The filters: one category, then the figures of its four reports only.
    page.locator("#figure-filter-category").select_option(label="dash-light fi")
    page.locator(".figure-filters").get_by_role("button").click()
    expect(page).to_have_url(f"{live_server.url}/staff/dashboard?lang=fi&from=2026-01"
                             f"&to=2026-02&category={manager.c1.id}&party=&zone=")
    expect(page.locator("#table-categories tbody tr")).to_have_count(1)
    expect(page.locator("canvas[data-drawn='true']")).to_have_count(len(CHARTS))

    # A refused filter: the form says which, and the page still passes the scan.
    page.goto("/staff/dashboard?from=2026-13")
    expect(page.locator("#figure-error-from")).to_be_visible()
    expect(page.locator("#figure-filter-from")).to_have_attribute("aria-invalid", "true")
    assert serious_violations(page) == []

    assert events.blocked_urls == []  # nothing from outside the service (no CDN)
    # Chromium tells of the 422 answer itself; nothing else.
    assert [m.text for m in events.console_errors
            if "status of 422" not in m.text] == []
    assert events.uncaught_errors == []

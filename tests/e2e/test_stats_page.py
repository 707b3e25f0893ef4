"""The open data page (/stats) on a phone: both tables, the period chooser, the downloads,
nothing loaded from outside the service, no console errors, and no serious axe violation
(the page with figures, and the page refusing a period)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import PartyKind, ReportEvent
from feedbackgis.models.report import EventKind
from feedbackgis.services.analytics.refresh import refresh_all_figures
from tests.e2e.accessibility import serious_violations
from tests.integration.factories import make_category, make_party, make_report

pytestmark = pytest.mark.e2e
TZ = "Europe/Helsinki"
HELSINKI = ZoneInfo(TZ)


def _at(day: int, hour: int) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=HELSINKI)


@pytest.fixture
def figures(seed_session: Session) -> None:
    unit = make_party(seed_session, "Katujen kunnossapito")
    contractor = make_party(seed_session, "Valo Oy", kind=PartyKind.CONTRACTOR)
    light = make_category(seed_session, "streetlight")
    pothole = make_category(seed_session, "pothole")
    for category, party, day in ((light, contractor, 4), (light, contractor, 5),
                                 (pothole, unit, 6)):
        report = make_report(seed_session, category, party=party,
                             contact={"email": "asukas@example.fi"})
        report.created_at, report.status = _at(day, 9), ReportStatus.FIXED
        seed_session.flush()
        seed_session.add(ReportEvent(report_id=report.id, kind=EventKind.STATUS_CHANGED,
                                     actor="Kaisa", from_status=ReportStatus.ASSIGNED,
                                     to_status=ReportStatus.FIXED, is_public=True,
                                     created_at=_at(day + 6, 10)))
        seed_session.flush()
    refresh_all_figures(seed_session, TZ)  # commits


def test_the_stats_page_shows_both_tables_offline_and_passes_the_axe_scan(open_phone_page,
                                                                          figures):
    page, events = open_phone_page("en-GB")
    page.goto("/stats?year=2025")
    expect(page.get_by_role("heading", name="Open data: how reports are handled",
                            level=1)).to_be_visible()
    categories = page.get_by_role("table", name="Reports by category, January 2025")
    expect(categories).to_contain_text("streetlight en")
    parties = page.get_by_role("table", name="Reports by responsible party")
    expect(parties.get_by_role("row", name="Valo Oy")).to_contain_text("Contractor")
    expect(parties.locator("tfoot")).to_contain_text("3")
    assert page.get_by_role("link", name="By category (CSV)").get_attribute("href") == (
        "/stats/categories.csv?year=2025")
    expect(page.get_by_role("link", name="Both tables and the totals (JSON)")).to_be_visible()
    # The tables scroll sideways inside their region; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(page) == []

    page.get_by_label("First month").fill("2025-03")
    page.get_by_label("Last month").fill("2025-03")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="March 2025", exact=True)).to_be_visible()
    assert "from=2025-03" in page.url and "to=2025-03" in page.url
    expect(page.get_by_role("table", name="Reports by category, March 2025")).to_contain_text(
        "pothole en")

    assert events.blocked_urls == []  # nothing from outside the service (no CDN)
    assert [m.text for m in events.console_errors] == []
    assert events.uncaught_errors == []


def test_the_stats_page_refusing_a_period_names_it_and_passes_the_axe_scan(open_phone_page):
    page, events = open_phone_page("en-GB")
    response = page.goto("/stats?from=2025-13&lang=en")
    assert response is not None and response.status == 422
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("First month:")
    expect(page.get_by_label("First month")).to_have_attribute("aria-invalid", "true")
    assert serious_violations(page) == []
    assert events.blocked_urls == []
    # Chromium reports the page's own 422 on the console; nothing else may be there.
    assert [m.text for m in events.console_errors if "422" not in m.text] == []
    assert events.uncaught_errors == []

"""The staff inbox in Chromium at a desktop: with JavaScript its map draws the page's
reports (offline but for the tiles) and one checkbox chooses them all; without JavaScript
the filters, sorting, paging and the bulk form all work as plain links and forms. Its
states after a refused filter and after a bulk action pass the axe-core scan too."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from shapely.geometry import box
from sqlalchemy import update
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.models import Report
from feedbackgis.services.staff.users import create_user
from tests.e2e.accessibility import serious_violations
from tests.integration.factories import make_category, make_party, make_report, make_zone

pytestmark = pytest.mark.e2e

PASSWORD = "kaksi pitkää sanaa"  # noqa: S105 - the test's own
HANDLER = "handler@city.example.fi"


@pytest.fixture
def inbox(seed_session: Session) -> dict:
    """A unit with two handlers and four open reports, one late and one without a point."""
    unit = make_party(seed_session, "Katuvalaistus")
    make_zone(seed_session, unit, box(24.0, 60.0, 25.5, 60.6))
    lights = make_category(seed_session, "streetlight")
    holes = make_category(seed_session, "pothole")
    reports = [
        make_report(seed_session, lights, party=unit, lon=24.94, lat=60.17,
                    description="Valo <b>ei</b> pala"),
        make_report(seed_session, holes, party=unit, lon=24.95, lat=60.18),
        make_report(seed_session, lights, party=unit, lon=24.96, lat=60.19),
        make_report(seed_session, holes, party=unit, lon=None, lat=None, address="Koulukatu 1"),
    ]
    now = datetime.now(UTC)
    seed_session.execute(update(Report).where(Report.id == reports[0].id).values(
        created_at=now - timedelta(days=20), due_at=now - timedelta(days=3, hours=2)))
    seed_session.commit()
    for email, name in ((HANDLER, "Hanna Handler"), ("colleague@city.example.fi", "Kalle Kollega")):
        create_user(seed_session, email, Role.HANDLER, PASSWORD, party=unit.name, name=name)
    return {"ids": [r.id for r in reports], "lights": lights.id}


def _sign_in(page) -> None:
    page.goto("/staff/login")
    page.locator("#field-email").fill(HANDLER)
    page.locator("#field-password").fill(PASSWORD)
    page.locator("form.staff-login button[type=submit]").click()
    expect(page.locator("#inbox-map")).to_have_count(1)


def _rows(page) -> list[int]:
    links = page.locator("table tbody th[scope=row] a").all_inner_texts()
    return [int(link.lstrip("#")) for link in links]


def test_the_map_draws_the_pages_reports_and_one_checkbox_chooses_them_all(
        open_phone_page, inbox, live_server):
    page, events = open_phone_page(desktop=True)
    _sign_in(page)
    markers = page.locator("#inbox-map .leaflet-overlay-pane path.leaflet-interactive")
    expect(markers).to_have_count(3)  # the report without a point is in the table only
    markers.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(re.compile(r"#\d+"))
    link = popup.locator("a")
    expect(link).to_have_attribute("href", re.compile(r"^/staff/reports/\d+\?lang=fi$"))

    choose_all = page.locator("#choose-all")
    expect(choose_all).to_be_visible()
    choose_all.check()
    for box_ in page.locator("input.choose-report").all():
        expect(box_).to_be_checked()
    page.locator("input.choose-report").first.uncheck()
    expect(choose_all).not_to_be_checked()
    assert page.evaluate("document.getElementById('choose-all').indeterminate") is True

    page.locator("#bulk-status").select_option("waiting")
    page.locator("button[name=action][value=status]").click()
    expect(page.locator(".bulk-result[role=status]")).to_contain_text("3")
    # Offline but for the tiles: the browser's only failed requests are the tiles'.
    tiles = live_server.app.config["MAP_TILE_URL"].split("{")[0]
    assert events.blocked_urls and all(url.startswith(tiles) for url in events.blocked_urls)
    assert events.uncaught_errors == []
    assert [m.text for m in events.console_errors
            if not m.location["url"].startswith(tiles)] == []


def test_filters_sorting_paging_and_the_bulk_form_work_without_javascript(
        open_phone_page, inbox):
    page, _ = open_phone_page(desktop=True, javascript=False)
    _sign_in(page)
    ids = inbox["ids"]
    assert sorted(_rows(page)) == sorted(ids)
    expect(page.locator("#choose-all")).to_be_hidden()
    expect(page.locator("#inbox-map noscript")).to_have_count(1)

    page.locator("#filter-category").select_option(str(inbox["lights"]))
    page.locator("#filter-overdue").check()
    page.locator(".inbox-filters button[type=submit]").click()
    assert _rows(page) == [ids[0]]
    expect(page.locator("strong.late")).to_have_count(1)
    assert "overdue=1" in page.url and f"category={inbox['lights']}" in page.url

    page.locator(".inbox-filters a").click()  # clear the filters
    due = page.locator("thead th").filter(has=page.locator("a[href*='sort=due']"))
    due.locator("a").click()
    expect(due).to_have_attribute("aria-sort", "ascending")
    assert _rows(page)[0] == ids[0]  # the late one is due first; no due date comes last

    page.locator(f"#choose-{ids[1]}").check()
    page.locator(f"#choose-{ids[2]}").check()
    page.locator("#bulk-person").select_option(label="Kalle Kollega")
    page.locator("button[name=action][value=assign]").click()
    expect(page.locator(".bulk-result[role=status]")).to_contain_text("Kalle Kollega")
    assert "sort=due" in page.url  # back to the inbox as it was
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="Kalle Kollega")).to_have_count(2)


def test_the_inbox_after_a_refused_filter_and_after_a_bulk_action_passes_the_scan(
        open_phone_page, inbox):
    page, _ = open_phone_page(desktop=True)
    _sign_in(page)
    response = page.goto("/staff/?min_age=abc&person=999999")
    assert response.status == 422
    expect(page.locator("#filter-min_age")).to_have_attribute("aria-invalid", "true")
    assert serious_violations(page) == []
    page.goto("/staff/")
    page.locator(f"#choose-{inbox['ids'][1]}").check()
    page.locator("#bulk-status").select_option("closed")  # from assigned: not allowed
    page.locator("button[name=action][value=status]").click()
    expect(page.locator(".bulk-result")).to_contain_text(f"#{inbox['ids'][1]}")
    assert serious_violations(page) == []
    page.locator("button[name=action][value=assign]").click()  # nothing chosen
    expect(page.locator(".error-summary")).to_be_visible()
    assert serious_violations(page) == []

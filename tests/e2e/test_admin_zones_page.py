"""The admin's zones in the browser: every zone drawn on the map (a popup shows a name as
text, never as HTML), a zone file uploaded, previewed with the routing what-if, imported;
the zones page and the preview pass an axe-core scan (WCAG 2.1 AA) in three languages."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from shapely.geometry import box
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.services.staff.users import create_user
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import other_errors
from tests.integration.factories import make_category, make_party, make_report, make_zone
from tests.zone_files import write_geojson

pytestmark = pytest.mark.e2e

PASSWORD = "kaksi pitkää sanaa"  # noqa: S105 - the test's own
ADMIN = "admin@city.example.fi"
TRICKY_NAME = "<img src=x onerror=alert(1)> Keskusta"


@pytest.fixture
def city(seed_session: Session) -> dict:
    unit = make_party(seed_session, "Katuvalaistus")
    make_party(seed_session, "Urakoitsija Oy")
    make_zone(seed_session, unit, box(24.90, 60.15, 24.96, 60.19), name=TRICKY_NAME)
    make_zone(seed_session, unit, box(24.96, 60.15, 25.02, 60.19), name="Itä")
    lights = make_category(seed_session, "streetlight")
    moving = make_report(seed_session, lights, lon=24.93, lat=60.17)
    seed_session.commit()
    create_user(seed_session, ADMIN, Role.ADMIN, PASSWORD, name="Admin Testi")
    return {"moving": moving}


def _sign_in(page) -> None:
    page.goto("/staff/login?lang=fi&next=/admin/zones")
    page.get_by_label("Sähköpostiosoite").fill(ADMIN)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page).to_have_url(re.compile(r".*/admin/zones"))


def test_an_admin_sees_the_zones_uploads_a_file_previews_it_and_imports_it(
        open_phone_page, city, live_server, tmp_path):
    page, events = open_phone_page(locale="en-GB", desktop=True)
    _sign_in(page)
    page.goto("/admin/zones?lang=en")
    shapes = page.locator("#zones-map path.leaflet-interactive")
    expect(shapes).to_have_count(2)
    shapes.first.click(force=True)
    popup = page.locator(".zone-popup")
    expect(popup).to_be_visible()
    expect(page.locator(".zone-popup__name")).to_have_count(1)
    assert page.locator(".zone-popup img").count() == 0  # the name stayed text

    path = write_geojson(tmp_path / "urakka.geojson", [box(24.92, 60.15, 24.95, 60.19)],
                         [{"nimi": "Urakka 1"}])
    page.locator("#field-file").set_input_files(str(path))
    page.get_by_label("Party of every zone in the file").select_option("Urakoitsija Oy")
    page.locator("details.zone-options summary").click()
    page.get_by_label("Priority of every zone").fill("5")
    page.get_by_label("Field holding each zone's name").fill("nimi")
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of urakka.geojson")
    changes = page.locator("table.what-if-changes")
    expect(changes.locator("tbody tr")).to_have_count(1)
    expect(changes.locator("tbody tr")).to_contain_text(
        [f"#{city['moving'].id} streetlight en Katuvalaistus Urakoitsija Oy"])
    assert serious_violations(page) == []
    page.get_by_role("button", name="Import 1 zone").click()

    expect(page.get_by_role("status").filter(has_text="Imported 1 zone")).to_be_visible()
    expect(page.locator("#zones-map path.leaflet-interactive")).to_have_count(3)
    expect(page.locator("table.zone-table", has_text="Urakka 1")).to_be_visible()
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []


def test_the_zones_pages_pass_the_accessibility_scan(open_phone_page, city, tmp_path):
    page, _ = open_phone_page(desktop=True)
    _sign_in(page)
    for language in ("fi", "sv", "en"):
        page.goto(f"/admin/zones?lang={language}")
        expect(page.locator("#zones-map path.leaflet-interactive")).to_have_count(2)
        assert serious_violations(page) == [], language
    # A refused upload: the errors beside their fields.
    page.goto("/admin/zones?lang=en")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    page.locator("#field-file").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#field-file-error")).to_contain_text("is not a readable zip file")
    assert serious_violations(page) == []

"""An admin asks for an export in the browser, watches its page until the file is ready
(the page's script polls, under the strict CSP) and downloads it. Both pages pass axe."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.models import FileKind, PreparedFile
from feedbackgis.services.analytics.prepared_files import make_file
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import other_errors
from tests.integration.export_world import PASSWORD, build_export_world

pytestmark = pytest.mark.e2e


def test_an_admin_exports_reports_and_downloads_the_file_when_ready(
        open_phone_page, seed_session: Session, live_server):
    world = build_export_world(seed_session)
    page, events = open_phone_page(locale="en-GB", desktop=True)
    page.goto("/staff/login?lang=en")
    page.get_by_label("Email address").fill(world.admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto("/staff/exports?from=2026-01&to=2026-12&lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Export reports")
    expect(page.get_by_text("2 reports match the filters.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("GeoPackage (GIS)").check()
    page.get_by_label("EPSG:3067: ETRS-TM35FIN metres").check()
    page.get_by_label("Include the reporters' contact details").check()
    page.get_by_role("button", name="Prepare the file").click()

    expect(page.locator("#prepared-file-state")).to_have_text("Waiting to be made")
    expect(page.get_by_role("link", name="Reload the page to see how far it is")).to_be_hidden()
    assert serious_violations(page) == []
    prepared = seed_session.scalars(select(PreparedFile)).one()
    assert (prepared.kind, prepared.with_contact) == (FileKind.GPKG, True)
    folder = Path(live_server.app.config["EXPORT_FOLDER"])
    make_file(seed_session, prepared.id, folder, timedelta(hours=1))

    link = page.get_by_role("link", name="Download feedbackgis-reports-2026-01_2026-12.gpkg")
    expect(link).to_be_visible(timeout=10_000)
    expect(page.locator("#prepared-file-state")).to_have_text("Ready")
    expect(page.locator("#prepared-file-progress")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "feedbackgis-reports-2026-01_2026-12.gpkg"
    assert Path(download.value.path()).read_bytes() == (folder / prepared.path).read_bytes()
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []

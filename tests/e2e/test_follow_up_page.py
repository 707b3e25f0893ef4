"""The reporter's follow-up page on a phone: status in the reporter's language, nothing else's."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from shapely.geometry import box
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.services.reports.status import change_status
from feedbackgis.services.reports.submission import Contact, NewReport, submit_report
from tests.integration.factories import make_category, make_party, make_zone

pytestmark = pytest.mark.e2e


@pytest.fixture
def reported(seed_session: Session, live_server) -> str:
    """A report with a public answer; returns the follow-up path."""
    party = make_party(seed_session, "Katujen kunnossapito")
    make_zone(seed_session, party, box(24.0, 60.0, 25.5, 60.6))
    make_category(seed_session, "pothole")
    seed_session.commit()
    submitted = submit_report(
        seed_session,
        NewReport(category="pothole", description="Syvä kuoppa <b>pyörätiellä</b>",
                  lon=24.94, lat=60.17, language="sv",
                  contact=Contact(name="Maija Meikäläinen", email="maija@example.fi")),
        secret_key=live_server.app.config["SECRET_KEY"],
    )
    change_status(seed_session, submitted.report.id, ReportStatus.IN_PROGRESS,
                  actor="staff:1", note="Korjataan viikolla 49.")
    return f"/follow/{submitted.follow_up_token}"


def test_the_reporter_sees_status_and_answer_on_a_phone_without_personal_data(
    phone_page, reported,
):
    page, events = phone_page
    page.goto(reported + "?lang=sv")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator(".report-status")).to_have_text("Under arbete")
    expect(page.get_by_text("Korjataan viikolla 49.")).to_be_visible()
    # The description is text: the <b> the reporter typed is shown, not interpreted.
    expect(page.locator(".report-description")).to_have_text("Syvä kuoppa <b>pyörätiellä</b>")
    content = page.content()
    assert "Maija" not in content and "maija@example.fi" not in content
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert events.console_errors == [] and events.uncaught_errors == []

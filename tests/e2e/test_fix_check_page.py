"""The "is it fixed?" page on a phone: "No", a line and a photo sent from the browser; every
state of the page (asking, answered, closed, a forged link) passes an axe-core scan."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import Report
from feedbackgis.services.reports.fix_answers import fix_check_token
from feedbackgis.services.reports.status import change_status
from tests.e2e.accessibility import serious_violations
from tests.integration.factories import make_category, make_follower, make_party, make_report
from tests.photo_files import camera_jpeg

pytestmark = pytest.mark.e2e


@pytest.fixture
def asked(seed_session: Session, live_server, tmp_path) -> dict[str, object]:
    """A fixed report with its reporter's and a follower's answer pages."""
    party = make_party(seed_session, "Valot Oy", emails=["valot@example.fi"])
    report = make_report(seed_session, make_category(seed_session, "streetlight"), party=party,
                         contact={"email": "aino@example.fi"}, language="en")
    follower = make_follower(seed_session, report, "seuraaja@example.fi", language="en")
    seed_session.commit()
    change_status(seed_session, report.id, ReportStatus.FIXED, actor="Valot Oy")
    secret = live_server.app.config["SECRET_KEY"]
    photo = tmp_path / "still-dark.jpg"
    photo.write_bytes(camera_jpeg())
    return {"id": report.id, "photo": photo,
            "reporter": f"/fixed/reporter/{report.id}/"
                        + fix_check_token(secret, report.follow_up_nonce),
            "follower": f"/fixed/follower/{follower.id}/"
                        + fix_check_token(secret, follower.token_nonce)}


def test_a_resident_says_not_fixed_with_a_line_and_a_photo_from_a_phone(
        open_phone_page, asked, seed_session):
    page, events = open_phone_page("en-GB", javascript=False)
    page.goto(f"{asked['reporter']}?answer=no")
    page.get_by_label("What is still wrong? (optional)").fill("The lamp is still dark.")
    page.get_by_label("Photo (optional)").set_input_files(asked["photo"])
    page.get_by_role("button", name="No, it is not fixed").click()
    expect(page.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Your answer: No, it is not fixed")
    report = seed_session.get(Report, asked["id"], populate_existing=True)
    assert (report.status, report.reopen_count) == (ReportStatus.IN_PROGRESS, 1)
    assert events.blocked_urls == []


@pytest.mark.parametrize("language", ["fi-FI", "sv-FI", "en-GB"])
def test_every_state_of_the_question_passes_an_axe_scan(open_phone_page, asked, language):
    page, events = open_phone_page(language)
    found = {}
    for name, path in (("yes", f"{asked['reporter']}?answer=yes"),
                       ("no", f"{asked['reporter']}?answer=no"),
                       ("both", asked["reporter"]),
                       ("forged", "/fixed/reporter/1/forged")):
        page.goto(path)
        found[name] = serious_violations(page)
    page.goto(f"{asked['reporter']}?answer=yes")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**done=1**")
    found["answered"] = serious_violations(page)
    page.goto(asked["follower"])
    found["closed"] = serious_violations(page)
    assert {name: violations for name, violations in found.items() if violations} == {}
    assert events.uncaught_errors == []

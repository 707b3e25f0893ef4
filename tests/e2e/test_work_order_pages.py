"""A contractor on a phone (390x844): it takes the work order from the email's link, without
an account, accepts and starts it, marks it done with an after-photo taken with a camera
that writes GPS into its EXIF; the reporter's follow-up page then shows it fixed with that
photo, served without any EXIF. A signed-in contractor's list sorts by the phone's position.
Every work-order page passes an axe-core scan (WCAG 2.1 AA) in Finnish, Swedish and English.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect
from shapely.geometry import box
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.mail.links import Links
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.models import PartyKind
from feedbackgis.services.notifications.report_notifications import notify_party_of_assignment
from feedbackgis.services.reports.submission import Contact, NewReport, submit_report
from feedbackgis.services.staff.users import create_user
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import LiveServer, other_errors
from tests.integration.mail_checks import link_in, text_of
from tests.photo_files import camera_jpeg

pytestmark = pytest.mark.e2e

PASSWORD = "kaksi pitkää sanaa"  # noqa: S105 - the test's own
NOTE = "Lamppu vaihdettu, valo palaa taas."
LANGUAGES = ("fi", "sv", "en")


@pytest.fixture
def media_root(tmp_path: Path, live_server: LiveServer, monkeypatch) -> Path:
    folder = tmp_path / "media"
    folder.mkdir()
    monkeypatch.setitem(live_server.app.config, "MEDIA_ROOT", str(folder))
    return folder


@pytest.fixture
def contractor(seed_session: Session, live_server: LiveServer, media_root: Path,
               monkeypatch) -> dict:
    """A contractor holding two reports by its zone, and its account."""
    monkeypatch.setitem(live_server.app.config, "PUBLIC_BASE_URL", live_server.url)
    from tests.integration.factories import make_category, make_party, make_zone

    party = make_party(seed_session, "Valourakoitsija Oy", kind=PartyKind.CONTRACTOR,
                       emails=["tyonjohto@valot.example"])
    make_zone(seed_session, party, box(24.0, 60.0, 25.5, 60.6))
    make_category(seed_session, "streetlight", share_contact_with_party=True)
    seed_session.commit()
    secret = live_server.app.config["SECRET_KEY"]
    lamp = submit_report(seed_session, NewReport(
        category="streetlight", description="Katuvalo ei pala koulun kohdalla",
        lon=24.9400, lat=60.1700, language="fi",
        contact=Contact(name="Aino Asukas", email="aino@example.fi")), secret_key=secret)
    other = submit_report(seed_session, NewReport(
        category="streetlight", description="Toinen valo vilkkuu", lon=24.9400, lat=60.1900,
        language="fi"), secret_key=secret)
    create_user(seed_session, "urakoitsija@valot.example", Role.CONTRACTOR, PASSWORD,
                party=party.name, name="Urho Urakoitsija")
    return {"party": party, "lamp": lamp, "other": other}


def _emailed_link(seed_session: Session, live_server: LiveServer, mail_sink, report) -> str:
    """The work-order link of the assignment email, as the job sends it to the sink."""
    config = live_server.app.config
    smtp = SmtpSettings.from_config({**config, "SMTP_HOST": "127.0.0.1",
                                     "SMTP_PORT": mail_sink.port, "SMTP_SECURITY": "none"})
    links = Links.from_config(config)
    sent = notify_party_of_assignment(seed_session, smtp, links, report_id=report.id,
                                      party_id=report.assigned_party_id, outbox_id=1)
    assert sent == 1
    return link_in(text_of(mail_sink.messages[-1]), live_server.url, "/work/link/")


def _sign_in(page) -> None:
    page.goto("/staff/login?lang=fi")
    page.get_by_label("Sähköpostiosoite").fill("urakoitsija@valot.example")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()


def test_a_contractor_does_the_work_order_from_the_emails_link_and_the_reporter_sees_it_fixed(
        open_phone_page, contractor, seed_session, live_server, mail_sink):
    lamp = contractor["lamp"]
    link = _emailed_link(seed_session, live_server, mail_sink, lamp.report)
    page, events = open_phone_page()
    page.goto(link)
    expect(page.locator(".report-description")).to_have_text("Katuvalo ei pala koulun kohdalla")
    page.locator("form[action*='/accept'] button").click()
    expect(page.locator("form[action*='/accept']")).to_have_count(0)
    page.locator("form[action*='/start'] button").click()
    expect(page.locator("form[action*='/start']")).to_have_count(0)
    page.locator("#field-note").fill(NOTE)
    page.locator("#field-photo").set_input_files(
        [{"name": "IMG_2001.jpg", "mimeType": "image/jpeg", "buffer": camera_jpeg()}])
    page.locator("form[action*='/done'] button").click()
    expect(page).to_have_url(re.compile(r"/work/finished"))
    expect(page.get_by_role("status")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []
    assert page.goto(link).status == 404  # done: the link opens it no more

    resident, _ = open_phone_page(locale="en-GB")
    resident.goto(f"/follow/{lamp.follow_up_token}?lang=en")
    expect(resident.locator(".report-status")).to_have_text("Fixed")
    expect(resident.locator(".report-history")).to_contain_text(NOTE)
    photo = resident.locator(".photo-list a")
    expect(photo).to_have_count(1)
    served = resident.request.get(live_server.url + photo.get_attribute("href"))
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    data = served.body()
    assert b"Exif" not in data and data != camera_jpeg()
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}


def test_a_signed_in_contractors_list_puts_the_nearest_first_once_the_phone_tells(
        open_phone_page, contractor):
    page, _ = open_phone_page()
    _sign_in(page)
    expect(page).to_have_url(re.compile(r"/work/"))
    lamp, other = contractor["lamp"].report.id, contractor["other"].report.id
    cards = page.locator(".work-card__title a")
    expect(cards).to_have_count(2)
    page.context.grant_permissions(["geolocation"], origin=page.url.split("/work")[0])
    page.context.set_geolocation({"latitude": 60.1899, "longitude": 24.9401})
    page.locator("#work-locate").click()
    expect(page).to_have_url(re.compile(r"lat=60\.1899"))
    expect(cards.first).to_contain_text(f"#{other}")
    page.context.set_geolocation({"latitude": 60.1701, "longitude": 24.9401})
    page.locator("#work-locate").click()
    expect(page).to_have_url(re.compile(r"lat=60\.1701"))
    expect(cards.first).to_contain_text(f"#{lamp}")


def test_every_work_order_page_passes_the_accessibility_scan(
        open_phone_page, contractor, seed_session, live_server, mail_sink):
    link = _emailed_link(seed_session, live_server, mail_sink, contractor["lamp"].report)
    path = link.removeprefix(live_server.url).split("?")[0]
    page, _ = open_phone_page()
    for language in LANGUAGES:
        for address in (path, f"{path[:-5]}wrong", "/work/finished?done=done"):
            page.goto(f"{address}?lang={language}" if "?" not in address
                      else f"{address}&lang={language}")
            assert serious_violations(page) == [], f"{address} in {language}"
    _sign_in(page)
    lamp = contractor["lamp"].report.id
    for language in LANGUAGES:
        for address in ("/work/", "/work/?lat=60.17&lon=24.94", f"/work/{lamp}"):
            joiner = "&" if "?" in address else "?"
            page.goto(f"{address}{joiner}lang={language}")
            assert serious_violations(page) == [], f"{address} in {language}"
        # The page with its form refused: the errors, announced and described.
        page.goto(f"/work/{lamp}?lang={language}")
        page.locator("form[action*='/done'] button").click()
        expect(page.locator("#note-error")).to_be_visible()
        assert serious_violations(page) == [], f"refused done form in {language}"

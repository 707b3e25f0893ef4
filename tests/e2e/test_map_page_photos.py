"""Photos on the map page, on a phone: each is uploaded as it is chosen, the place its EXIF
gives is offered as the pin, refusals are shown beside the photo field, and the report goes
with its photos' upload tokens; the photo served afterwards carries no metadata."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from geoalchemy2.shape import to_shape
from PIL import Image
from playwright.sync_api import Page, expect
from shapely.geometry import box
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.models import Photo, Report
from feedbackgis.services.catalog.questions import QuestionFields, add_question
from tests.e2e.accessibility import serious_violations
from tests.e2e.support import LiveServer
from tests.e2e.test_map_page import (
    FOLLOW_UP,
    open_map,
    other_errors,
    send,
    tap_map_centre,
    wait_for_offline_shell,
)
from tests.integration.factories import make_category, make_party, make_service_area, make_zone
from tests.photo_files import HELSINKI, camera_jpeg

pytestmark = pytest.mark.e2e
# Around the Helsinki Cathedral, where camera_jpeg()'s GPS says the photo was taken.
AREA = box(24.93, 60.165, 24.96, 60.175)
PHOTO_LON, PHOTO_LAT = HELSINKI
NOT_A_PHOTO = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def media_root(tmp_path: Path, live_server: LiveServer, monkeypatch) -> Path:
    folder = tmp_path / "media"
    folder.mkdir()
    monkeypatch.setitem(live_server.app.config, "MEDIA_ROOT", str(folder))
    return folder


@pytest.fixture
def municipality(seed_session: Session, live_server: LiveServer, media_root: Path,
                 monkeypatch) -> None:
    make_service_area(seed_session, AREA)
    party = make_party(seed_session, "Katujen kunnossapito", emails=["kadut@example.fi"])
    make_zone(seed_session, party, box(24.9, 60.1, 25.0, 60.2))
    make_category(seed_session, "pothole")
    seed_session.commit()
    add_question(seed_session, "pothole", "deep", QuestionFields(
        kind=QuestionKind.YESNO, required=True, prompt_fi="Onko kuoppa syvä?",
        prompt_sv="Är gropen djup?", prompt_en="Is the pothole deep?"))
    monkeypatch.setitem(live_server.app.config, "PUBLIC_BASE_URL", live_server.url)


def photo_file(data: bytes, name: str = "kuva.jpg") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": data}


def pinned(page: Page) -> tuple[float, float]:
    form = page.locator("#report-form")
    return (float(form.locator('input[name="lon"]').input_value()),
            float(form.locator('input[name="lat"]').input_value()))


def write_report(page: Page) -> None:
    form = page.locator("#report-form")
    form.get_by_label("pothole fi").check()
    question = form.locator("#field-answer-pothole-deep")
    expect(question).to_be_visible()
    question.get_by_label("Kyllä").check()
    form.get_by_label("Kuvaus").fill("Syvä kuoppa kirkon edessä")


def count(seed_session: Session, model: type) -> int:
    seed_session.expire_all()
    return seed_session.scalar(select(func.count()).select_from(model))


def test_a_report_with_an_answer_and_a_photo_at_the_photos_location_is_sent_once(
    municipality, phone_page, seed_session, live_server,
):
    page, events = phone_page
    open_map(page)
    write_report(page)
    page.locator("#field-photos").set_input_files([photo_file(camera_jpeg())])

    expect(page.locator("#photo-location-message")).to_have_text("Kuvassa on tieto paikasta, jossa se otettiin.")
    page.get_by_role("button", name="Käytä kuvan sijaintia").click()
    expect(page.locator("#pin-coordinates")).to_contain_text("60.17014, 24.95250")
    expect(page.locator("#area-map .leaflet-marker-icon")).to_have_count(1)
    lon, lat = pinned(page)
    assert abs(lon - PHOTO_LON) < 1e-4 and abs(lat - PHOTO_LAT) < 1e-4
    send(page)

    expect(page).to_have_url(FOLLOW_UP)
    assert count(seed_session, Report) == 1
    report = seed_session.scalars(select(Report)).one()
    assert report.answers == {"deep": True}
    point = to_shape(report.location)
    assert abs(point.x - PHOTO_LON) < 1e-4 and abs(point.y - PHOTO_LAT) < 1e-4
    assert [photo.report_id for photo in report.photos] == [report.id]
    assert count(seed_session, Photo) == 1  # uploaded once, when it was chosen

    served = page.request.get(f"{live_server.url}/photos/{report.photos[0].id}.jpg")
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    data = served.body()
    assert b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
    assert other_errors(events, live_server) == [] and events.uncaught_errors == []


def test_a_photo_taken_elsewhere_than_the_pin_offers_to_move_it(municipality, phone_page):
    page, _events = phone_page
    open_map(page)
    tap_map_centre(page)
    before = pinned(page)
    page.locator("#field-photos").set_input_files([photo_file(camera_jpeg())])

    move = page.get_by_role("button", name="Siirrä nuppineula kuvan sijaintiin")
    expect(move).to_be_visible()
    assert pinned(page) == before  # only offered
    assert serious_violations(page) == []
    move.click()
    expect(page.locator("#photo-location-message")).to_contain_text("Nuppineula on nyt paikassa")
    expect(move).to_be_hidden()
    lon, lat = pinned(page)
    assert abs(lon - PHOTO_LON) < 1e-4 and abs(lat - PHOTO_LAT) < 1e-4


def test_a_web_page_named_like_a_photo_is_refused_beside_the_photo_field_and_not_kept(
    municipality, phone_page, seed_session, media_root,
):
    page, events = phone_page
    open_map(page)
    field = page.locator("#field-photos")
    field.set_input_files([photo_file(NOT_A_PHOTO, "x.jpg")])

    error = page.locator("#photos-error")
    expect(error).to_have_text("x.jpg ei ole kuva. Valitse JPEG-, PNG-, WebP- tai HEIC-kuva.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "photos-hint photos-error")
    assert field.evaluate("input => input.files.length") == 0  # taken out of the field
    expect(page.get_by_role("button", name="Käytä kuvan sijaintia")).to_be_hidden()
    assert count(seed_session, Photo) == 0 and count(seed_session, Report) == 0
    assert list(media_root.rglob("*.*")) == []
    assert events.uncaught_errors == []


def test_a_photo_chosen_with_no_signal_waits_with_the_report_and_goes_with_it(
    municipality, phone_page, seed_session,
):
    page, _events = phone_page
    open_map(page)
    wait_for_offline_shell(page)
    page.context.set_offline(True)
    write_report(page)
    page.locator("#report-form").get_by_label("Paikka").fill("Kirkon edessä")
    page.locator("#field-photos").set_input_files([photo_file(camera_jpeg())])
    expect(page.locator("#photo-location-message")).to_contain_text("Kuvat lähetetään ilmoituksen mukana")
    send(page)

    outbox = page.locator("#outbox")
    expect(outbox.get_by_role("status")).to_have_text("Lähetystä odottavia ilmoituksia: 1")
    assert count(seed_session, Photo) == 0 and count(seed_session, Report) == 0

    page.context.set_offline(False)
    expect(outbox.get_by_role("status")).to_have_text("Kaikki odottaneet ilmoitukset on lähetetty.")
    assert count(seed_session, Report) == 1
    report = seed_session.scalars(select(Report)).one()
    assert report.answers == {"deep": True} and len(report.photos) == 1
    assert report.location is None and report.address == "Kirkon edessä"

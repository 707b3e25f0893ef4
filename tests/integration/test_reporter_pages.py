"""What a resident does after sending: add information or withdraw through the follow-up
link, and the public page of a published report where others follow it instead of
reporting it again. Plus the accessibility statement."""
from __future__ import annotations

import re

import pytest
from shapely.geometry import box
from sqlalchemy import func, select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import OutboxMessage, PublishPolicy, Report, ReportFollower

from .factories import make_category, make_party, make_service_area, make_zone

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def receipt(client, session):
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(session, "Katuvalaistus Oy", emails=["valot@example.fi"])
    make_zone(session, party, box(24.8, 60.1, 25.1, 60.3))
    make_category(session, "streetlight", publish_policy=PublishPolicy.IMMEDIATE)
    session.commit()
    body = {"category": "streetlight", "location": {"lon": 24.94, "lat": 60.17},
            "description": f"Valo ei pala {XSS}",
            "contact": {"email": "maija@example.fi", "name": "Maija Meikäläinen",
                        "phone": "+358 40 1234567"}}
    return client.post("/api/v1/reports", json=body).json


def _csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _follow_up(receipt) -> str:
    return f"/follow/{receipt['follow_up_token']}"


def test_the_reporter_adds_information_which_staff_see_and_the_public_does_not(
    client, session, receipt,
):
    path = _follow_up(receipt)
    response = client.post(f"{path}/information?lang=en", data={
        "csrf_token": _csrf(client, path), "information": f"The pole is number 12 {XSS}"})
    assert response.status_code == 303 and "done=information" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you, your information was added" in page
    assert "The pole is number 12 &lt;img" in page and XSS not in page
    public = client.get(f"/reports/{receipt['id']}").get_data(as_text=True)
    assert "The pole is number 12" not in public
    assert session.scalars(select(OutboxMessage.topic)).all().count(
        "report.information_added") == 1


def test_empty_information_is_refused_next_to_its_field(client, receipt):
    path = _follow_up(receipt)
    response = client.post(f"{path}/information?lang=sv", data={
        "csrf_token": _csrf(client, path), "information": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="information-error"' in page and "Skriv vad du vill lägga till" in page


def test_withdrawing_asks_for_confirmation_then_closes_and_unpublishes_the_report(
    client, session, receipt,
):
    path = _follow_up(receipt)
    unconfirmed = client.post(f"{path}/withdraw", data={"csrf_token": _csrf(client, path)})
    assert unconfirmed.status_code == 422
    withdrawn = client.post(f"{path}/withdraw", data={"csrf_token": _csrf(client, path),
                                                      "confirm": "yes"})
    assert withdrawn.status_code == 303
    report = session.get(Report, receipt["id"])
    session.refresh(report)
    assert report.status is ReportStatus.WITHDRAWN and not report.is_public
    assert client.get(f"/reports/{receipt['id']}").status_code == 404
    page = client.get(withdrawn.headers["Location"]).get_data(as_text=True)
    assert "Peruit ilmoituksen" in page and 'action="' + path + '/withdraw' not in page
    # The page no longer offers the form; a token from another page of the session will do.
    again = client.post(f"{path}/withdraw", data={"csrf_token": _csrf(client, "/report"),
                                                  "confirm": "yes"})
    assert again.status_code == 409


def test_follow_up_actions_need_the_csrf_token(client, session, receipt):
    path = _follow_up(receipt)
    assert client.post(f"{path}/withdraw", data={"confirm": "yes"}).status_code == 400
    assert session.get(Report, receipt["id"]).status is ReportStatus.ASSIGNED


def test_an_unknown_follow_up_token_is_a_plain_404(client, receipt):
    assert client.get("/follow/not-a-token").status_code == 404


def test_the_public_page_shows_the_report_without_any_personal_data(client, receipt):
    response = client.get(f"/reports/{receipt['id']}?lang=sv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Valo ei pala &lt;img src=x onerror=alert(1)&gt;" in page and XSS not in page
    for secret in ("maija@example.fi", "Maija", "1234567", receipt["follow_up_token"]):
        assert secret not in page
    assert "Följ den här anmälan" in page


def test_a_resident_follows_a_public_report_instead_of_reporting_it_again(
    client, session, receipt,
):
    path = f"/reports/{receipt['id']}"
    response = client.post(f"{path}/follow?lang=en", data={
        "csrf_token": _csrf(client, path), "email": "naapuri@example.fi"})
    assert response.status_code == 303
    assert "follow=sent" in response.headers["Location"]
    follower = session.scalars(select(ReportFollower)).one()
    assert (follower.email, follower.language, follower.confirmed_at) == (
        "naapuri@example.fi", "en", None)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "we sent a confirmation link" in page


def test_a_wrong_email_for_following_is_shown_next_to_the_field(client, receipt):
    path = f"/reports/{receipt['id']}"
    response = client.post(f"{path}/follow", data={"csrf_token": _csrf(client, path),
                                                  "email": "not-an-address"})
    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)


def test_an_unpublished_or_unknown_report_has_no_public_page(client, receipt):
    assert client.get("/reports/999999").status_code == 404
    assert client.get("/reports/99999999999999").status_code == 404


@pytest.mark.parametrize(("lang", "title"), [("fi", "Saavutettavuusseloste"),
                                             ("sv", "Tillgänglighetsutlåtande"),
                                             ("en", "Accessibility statement")])
def test_the_accessibility_statement_is_linked_from_every_page(client, lang, title):
    landing = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert f'href="/accessibility?lang={lang}"' in landing
    statement = client.get(f"/accessibility?lang={lang}").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in statement and "WCAG" in statement


@pytest.fixture
def media(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    return tmp_path / "media"


def _add_photo(client, receipt, data: bytes, name: str = "IMG_0002.jpg"):
    import io

    path = _follow_up(receipt)
    return client.post(f"{path}/photo?lang=en", content_type="multipart/form-data", data={
        "csrf_token": _csrf(client, path), "photo": (io.BytesIO(data), name)})


def test_the_reporter_adds_a_photo_later_and_sees_it_on_their_page_without_metadata(
    client, session, receipt, media,
):
    import io

    from PIL import Image

    from feedbackgis.models import Photo, PhotoKind
    from tests.photo_files import camera_jpeg

    response = _add_photo(client, receipt, camera_jpeg())
    assert response.status_code == 303 and "done=photo" in response.headers["Location"]
    photo = session.scalars(select(Photo)).one()
    assert (photo.report_id, photo.kind) == (receipt["id"], PhotoKind.FOLLOW_UP)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you, your photo was added" in page and "You added a photo" in page
    served = client.get(f"{_follow_up(receipt)}/photos/{photo.id}.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]
    assert b"Exif" not in served.data and not Image.open(io.BytesIO(served.data)).getexif()
    # The public page shows it too: the report is published and the photo not hidden.
    assert f"/photos/{photo.id}/thumbnail.jpg" in client.get(
        f"/reports/{receipt['id']}").get_data(as_text=True)


def test_a_photo_link_of_one_report_does_not_open_another_reports_photo(client, session,
                                                                        receipt, media):
    from feedbackgis.models import Photo
    from tests.photo_files import camera_jpeg

    _add_photo(client, receipt, camera_jpeg())
    photo = session.scalars(select(Photo)).one()
    assert client.get(f"/follow/not-the-token/photos/{photo.id}.jpg").status_code == 404


def test_a_file_that_is_no_photo_is_refused_on_the_follow_up_page(client, session, receipt,
                                                                  media):
    response = _add_photo(client, receipt, b"<html><script>alert(1)</script></html>", "x.jpg")
    assert response.status_code == 422
    assert 'id="photo-error"' in response.get_data(as_text=True)


def _form_keys(client, path: str) -> list[str]:
    return re.findall(r'name="form_key" value="([^"]+)"', client.get(path).get_data(as_text=True))


def test_a_form_sent_twice_adds_the_information_once(client, session, receipt):
    from feedbackgis.models import EventKind, ReportEvent

    path = _follow_up(receipt)
    information_key, photo_key = _form_keys(client, path)
    assert information_key != photo_key
    for _ in range(2):  # the phone resends the same form
        response = client.post(f"{path}/information", data={
            "csrf_token": _csrf(client, path), "information": "Pylväs 12",
            "form_key": information_key})
        assert response.status_code == 303
    fresh_key = _form_keys(client, path)[0]
    assert fresh_key != information_key  # the page's next form is a new sending
    client.post(f"{path}/information", data={"csrf_token": _csrf(client, path),
                                             "information": "Pylväs 13", "form_key": fresh_key})
    notes = session.scalars(select(ReportEvent.note).where(
        ReportEvent.report_id == receipt["id"], ReportEvent.kind == EventKind.COMMENT)).all()
    assert sorted(notes) == ["Pylväs 12", "Pylväs 13"]
    assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.topic == "report.information_added")) == 2


def test_a_photo_form_sent_twice_adds_the_photo_once(client, session, receipt, media):
    import io

    from feedbackgis.models import Photo
    from tests.photo_files import camera_jpeg

    path = _follow_up(receipt)
    photo_key = _form_keys(client, path)[1]
    for _ in range(2):
        response = client.post(f"{path}/photo", content_type="multipart/form-data", data={
            "csrf_token": _csrf(client, path), "form_key": photo_key,
            "photo": (io.BytesIO(camera_jpeg()), "IMG_0003.jpg")})
        assert response.status_code == 303
    assert session.scalar(select(func.count()).select_from(Photo)) == 1
    # A key that is not one of ours is no key at all: the sending is simply new.
    for _ in range(2):
        client.post(f"{path}/photo", content_type="multipart/form-data", data={
            "csrf_token": _csrf(client, path), "form_key": "x" * 65,
            "photo": (io.BytesIO(camera_jpeg()), "IMG_0004.jpg")})
    assert session.scalar(select(func.count()).select_from(Photo).where(
        Photo.report_id == receipt["id"])) == 3

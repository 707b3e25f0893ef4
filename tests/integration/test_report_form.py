"""The report form of the pages, without JavaScript: CSRF, errors next to their fields in the
page's language, triage for a place given in words, one report for a double submission."""
from __future__ import annotations

import re

import pytest
from shapely.geometry import box
from sqlalchemy import func, select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import PublishPolicy, Report, ReporterContact

from .factories import make_category, make_party, make_service_area, make_zone


@pytest.fixture
def municipality(session):
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(session, "Katuvalaistus Oy", emails=["valot@example.fi"])
    make_zone(session, party, box(24.8, 60.1, 25.1, 60.3))
    make_category(session, "streetlight", publish_policy=PublishPolicy.IMMEDIATE,
                  default_party=party)
    session.commit()


def _form(client, lang="fi") -> tuple[str, dict[str, str]]:
    page = client.get(f"/report?lang={lang}").get_data(as_text=True)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    return page, hidden


def _send(client, lang="fi", **fields):
    _page, hidden = _form(client, lang)
    data = {**hidden, "category": "streetlight", "description": "Valo ei pala", **fields}
    return client.post(f"/report?lang={lang}", data=data)


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Report))


def test_every_field_of_the_form_has_a_label_and_the_form_a_csrf_token(client, municipality):
    page, hidden = _form(client)
    assert hidden["csrf_token"] and len(hidden["idempotency_key"]) >= 20
    for field in ("place", "description", "name", "email", "phone", "consent"):
        assert f'for="field-{field}"' in page and f'id="field-{field}"' in page
    assert 'for="category-streetlight"' in page
    assert "ei koskaan näytetä julkisesti" in page  # what becomes public and what never does


def test_a_place_given_in_words_goes_to_triage_and_the_reporter_to_the_follow_up_page(
    client, session, municipality,
):
    response = _send(client, place="Koulun takana kulkeva polku")
    assert response.status_code == 303
    assert re.search(r"/follow/[\w-]+\?lang=fi&sent=1$", response.headers["Location"])
    report = session.scalars(select(Report)).one()
    # Even though the category has a default party: staff pin it first.
    assert report.status is ReportStatus.TRIAGE and report.location is None
    follow_up = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kiitos, ilmoituksesi on lähetetty" in follow_up
    assert "Koulun takana kulkeva polku" in follow_up


def test_a_pin_from_the_map_routes_the_report_by_its_zone(client, session, municipality):
    response = _send(client, lon="24.94", lat="60.17")
    assert response.status_code == 303
    report = session.scalars(select(Report)).one()
    assert report.status is ReportStatus.ASSIGNED and report.location is not None


def test_the_contact_details_are_stored_apart_and_anonymous_reports_have_none(
    client, session, municipality,
):
    _send(client, place="Torikatu 1", name="Maija", email="maija@example.fi", consent="yes")
    _send(client, place="Torikatu 2")
    contacts = session.scalars(select(ReporterContact)).all()
    assert [(c.name, c.email, c.consent) for c in contacts] == [("Maija", "maija@example.fi",
                                                                 True)]


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(client, session,
                                                                     municipality):
    response = client.post("/report", data={"category": "streetlight", "description": "x",
                                            "place": "Torikatu 1"})
    assert response.status_code == 400
    assert _count(session) == 0


@pytest.mark.parametrize(("lang", "expected"), [
    ("fi", "Kerro, missä se on"), ("sv", "Berätta var det är"), ("en", "Tell where it is")])
def test_errors_are_shown_next_to_their_field_in_the_page_language(client, session,
                                                                    municipality, lang,
                                                                    expected):
    response = _send(client, lang, description="   ", email="not-an-address")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="place-error"' in page and expected in page
    assert 'aria-describedby="place-hint place-error" aria-invalid="true"' in page
    assert 'id="description-error"' in page and 'id="email-error"' in page
    assert 'role="alert"' in page  # the summary is announced
    assert 'value="not-an-address"' in page  # what was typed is kept
    assert _count(session) == 0


def test_a_place_outside_the_service_area_says_so(client, session, municipality):
    page = _send(client, "en", lon="23.76", lat="61.50").get_data(as_text=True)
    assert "outside the municipality&#39;s service area" in page


def test_a_double_submission_of_one_form_stores_one_report(client, session, municipality):
    _page, hidden = _form(client)
    data = {**hidden, "category": "streetlight", "description": "Valo ei pala",
            "place": "Torikatu 1"}
    first = client.post("/report", data=data)
    again = client.post("/report", data=data)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert _count(session) == 1


def test_user_text_is_escaped_when_the_form_is_shown_again(client, municipality):
    page = _send(client, description="<img src=x onerror=alert(1)>",
                 email="x").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_language_chosen_once_is_remembered(client, municipality):
    client.get("/report?lang=sv")
    assert 'lang="sv"' in client.get("/report").get_data(as_text=True)


@pytest.fixture
def with_questions(session, municipality):
    from feedbackgis.domain.questions import QuestionKind
    from feedbackgis.services.catalog.questions import QuestionFields, add_question

    add_question(session, "streetlight", "light_out", QuestionFields(
        QuestionKind.YESNO, "Onko valo kokonaan sammunut?", "Är lampan helt släckt?",
        "Is the light completely out?", required=True))
    add_question(session, "streetlight", "pole", QuestionFields(
        QuestionKind.NUMBER, "Pylvään numero", "Stolpens nummer", "Pole number"))
    session.commit()


def test_the_topics_questions_are_asked_and_their_answers_stored(client, session,
                                                                  with_questions):
    page, _hidden = _form(client, "en")
    assert "Is the light completely out?" in page and 'for="field-answer-streetlight-pole"' in page
    response = _send(client, "en", place="Torikatu 1", **{
        "answer-streetlight-light_out": "yes", "answer-streetlight-pole": "12"})
    assert response.status_code == 303
    report = session.scalars(select(Report)).one()
    assert report.answers == {"light_out": True, "pole": 12}


def test_a_missing_required_answer_is_shown_next_to_its_question(client, session,
                                                                 with_questions):
    response = _send(client, "fi", place="Torikatu 1", **{"answer-streetlight-pole": "kaksi"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="answer-streetlight-light_out-error"' in page
    assert 'id="answer-streetlight-pole-error"' in page
    assert _count(session) == 0


def test_photos_sent_with_the_form_are_stored_clean_and_attached(client, session, municipality,
                                                                  app, tmp_path, monkeypatch):
    import io

    from PIL import Image

    from feedbackgis.models import Photo
    from tests.photo_files import camera_jpeg

    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    _page, hidden = _form(client)
    data = {**hidden, "category": "streetlight", "description": "Valo ei pala",
            "place": "Torikatu 1", "photos": [(io.BytesIO(camera_jpeg()), "IMG_0001.jpg")]}
    response = client.post("/report", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    photo = session.scalars(select(Photo)).one()
    assert photo.report_id == session.scalars(select(Report.id)).one()
    stored = (tmp_path / "media" / photo.image_key).read_bytes()
    assert b"Exif" not in stored and not Image.open(io.BytesIO(stored)).getexif()


def test_a_file_that_is_no_photo_is_refused_next_to_the_photo_field(client, session,
                                                                    municipality, app,
                                                                    tmp_path, monkeypatch):
    import io

    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    _page, hidden = _form(client, "en")
    data = {**hidden, "category": "streetlight", "description": "Valo ei pala",
            "place": "Torikatu 1",
            "photos": [(io.BytesIO(b"<html><script>alert(1)</script></html>"), "x.jpg",
                        "image/jpeg")]}
    response = client.post("/report?lang=en", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="photos-error"' in response.get_data(as_text=True)
    assert _count(session) == 0


def test_a_nul_character_typed_into_the_form_is_refused_next_to_its_field(client, session,
                                                                          municipality):
    # PostgreSQL cannot store U+0000; the API refused it, the form let it through to a 500.
    response = _send(client, "en", place="Torikatu 1", description="Valo\x00 ei pala")
    assert response.status_code == 422
    assert 'id="description-error"' in response.get_data(as_text=True)
    assert _count(session) == 0


def test_a_phone_photo_of_several_megabytes_is_taken_with_the_form(client, session, municipality,
                                                                   app, tmp_path, monkeypatch):
    """The form's own limit applies before anything reads the body (the CSRF check too),
    not the JSON API's 1 MB."""
    import io

    from feedbackgis.models import Photo
    from tests.photo_files import noisy_jpeg

    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    big = noisy_jpeg(2000, 1500)
    assert len(big) > 2 * app.config["MAX_CONTENT_LENGTH"]
    _page, hidden = _form(client)
    data = {**hidden, "category": "streetlight", "description": "Valo ei pala",
            "place": "Torikatu 1", "photos": [(io.BytesIO(big), "IMG_0002.jpg")]}
    response = client.post("/report", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.status_code
    assert session.scalars(select(Photo)).one().report_id is not None

"""The "is it fixed?" page: GET asks, only a POST with the CSRF token answers; later, second
and forged answers get a clear page; staff and the residents' pages show what was answered."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import Photo, Report
from feedbackgis.services.reports.fix_answers import fix_check_token
from feedbackgis.services.reports.status import change_status
from feedbackgis.services.reports.submission import follow_up_token
from tests.integration.staff.signing_in import english_client, make_staff_user, post_login
from tests.photo_files import camera_jpeg

from .factories import SECRET_KEY, make_category, make_follower, make_party, make_report

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def media(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))


@pytest.fixture
def report(session):
    party = make_party(session, "Valot Oy", emails=["valot@example.fi"])
    report = make_report(session, make_category(session), party=party,
                         contact={"email": "aino@example.fi"}, language="en")
    session.commit()
    change_status(session, report.id, ReportStatus.FIXED, actor="Valot Oy")
    return report


def _path(report) -> str:
    return f"/fixed/reporter/{report.id}/{fix_check_token(SECRET_KEY, report.follow_up_nonce)}"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _answer(client, path: str, answer: str, **fields):
    token = _csrf(client.get(f"{path}?answer={answer}&lang=en").get_data(as_text=True))
    return client.post(f"{path}?lang=en", data={"csrf_token": token, "answer": answer, **fields},
                       content_type="multipart/form-data")


def test_the_link_shows_the_chosen_answer_as_a_form_and_answers_nothing(client, session, report):
    page = client.get(f"{_path(report)}?answer=yes&lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Is it fixed?" in html
    assert 'name="answer" value="yes"' in html and 'name="answer" value="no"' not in html
    assert 'name="csrf_token"' in html and "Answer instead: No, it is not fixed" in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert session.get(Report, report.id).status is ReportStatus.FIXED


def test_the_no_link_shows_the_form_for_a_line_and_a_photo(client, report):
    html = client.get(f"{_path(report)}?answer=no&lang=en").get_data(as_text=True)
    assert 'name="answer" value="no"' in html and 'name="text"' in html
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="answer" value="yes"' not in html


def test_yes_posted_closes_the_report_and_the_page_thanks(client, session, report):
    response = _answer(client, _path(report), "yes")
    assert response.status_code == 303 and "done=1" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you for your answer" in html and "Your answer: Yes, it is fixed" in html
    session.expire_all()
    assert session.get(Report, report.id).status is ReportStatus.CLOSED


def test_no_with_a_line_and_a_photo_reopens_and_staff_see_the_history(
        app, client, session, report, media):
    response = _answer(client, _path(report), "no", text=f"Still dark {XSS}",
                       photo=(io.BytesIO(camera_jpeg()), "IMG_1.jpg"))
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your answer: No, it is not fixed" in html
    session.expire_all()
    reopened = session.get(Report, report.id)
    assert (reopened.status, reopened.reopen_count) == (ReportStatus.IN_PROGRESS, 1)
    assert session.scalar(select(func.count()).select_from(Photo)
                          .where(Photo.report_id == report.id)) == 1
    page = _staff_page(app, session, report)
    assert "Reopened: not fixed, says a resident" in page and "The reporter" in page
    assert "1 time: not fixed, said a resident" in page
    assert "Still dark &lt;img src=x onerror=alert(1)&gt;" in page and XSS not in page


def test_the_residents_pages_tell_the_reopening_and_the_public_never_reads_the_words(
        client, session, report):
    _answer(client, _path(report), "no", text="Still dark, says Aino")
    follow_up = client.get(f"/follow/{follow_up_token(report, SECRET_KEY)}?lang=en")
    assert "You said that it is not fixed. The report was reopened." in follow_up.get_data(
        as_text=True)
    public = client.get(f"/reports/{report.id}?lang=en").get_data(as_text=True)
    assert "A resident said that it is not fixed. The report was reopened." in public
    assert "Still dark" not in public
    api = client.get(f"/api/v1/reports/{report.id}").get_data(as_text=True)
    assert "Still dark" not in api and "reporter" not in api


def test_a_post_without_the_csrf_token_is_refused_and_answers_nothing(client, session, report):
    response = client.post(f"{_path(report)}?lang=en", data={"answer": "yes"})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(Report, report.id).status is ReportStatus.FIXED


def test_a_second_answer_gets_the_already_answered_page(client, session, report):
    token = _csrf(client.get(f"{_path(report)}?lang=en").get_data(as_text=True))
    _answer(client, _path(report), "no")
    again = client.post(f"{_path(report)}?lang=en", data={"csrf_token": token, "answer": "yes"})
    html = again.get_data(as_text=True)
    assert again.status_code == 409
    assert "You have already answered" in html and "Your answer: No, it is not fixed" in html
    session.expire_all()
    assert session.get(Report, report.id).status is ReportStatus.IN_PROGRESS


def test_once_the_time_ran_out_the_page_says_the_question_has_closed(client, session, report):
    path = _path(report)
    token = _csrf(client.get(f"{path}?answer=no&lang=en").get_data(as_text=True))
    # The request ended the session the fixture's report was read in: read it again.
    session.get(Report, report.id).fix_check_until = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()
    page = client.get(f"{path}?lang=en")
    assert page.status_code == 200 and "This question has closed" in page.get_data(as_text=True)
    late = client.post(f"{path}?lang=en", data={"csrf_token": token, "answer": "no"})
    assert late.status_code == 409 and "This question has closed" in late.get_data(as_text=True)
    session.expire_all()
    assert session.get(Report, report.id).status is ReportStatus.FIXED


def test_a_forged_link_gets_a_404_page_for_both_asking_and_answering(client, report):
    token = _csrf(client.get(f"{_path(report)}?lang=en").get_data(as_text=True))
    for path in (f"/fixed/reporter/{report.id}/forged", f"/fixed/follower/{report.id}/forged",
                 f"/fixed/reporter/99999999/{fix_check_token(SECRET_KEY, report.follow_up_nonce)}"):
        page = client.get(f"{path}?lang=en")
        assert page.status_code == 404 and "This link is not valid" in page.get_data(as_text=True)
        posted = client.post(f"{path}?lang=en", data={"csrf_token": token, "answer": "yes"})
        assert posted.status_code == 404
    assert client.get(f"/fixed/somebody/{report.id}/x").status_code == 404


def test_a_file_that_is_no_photo_is_shown_next_to_its_field_and_nothing_changes(
        client, session, report, media):
    response = _answer(client, _path(report), "no", text="Still dark",
                       photo=(io.BytesIO(b"<html>no photo</html>"), "x.jpg"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="photo-error"' in html
    assert "Still dark" in html  # what they wrote is kept in the form
    session.expire_all()
    assert session.get(Report, report.id).status is ReportStatus.FIXED


@pytest.mark.parametrize(("fields", "error"), [
    ({"answer": "maybe"}, "Choose one of the answers."),
    ({"answer": "no", "text": "x" * 1001}, 'id="text-error"'),
])
def test_a_wrong_answer_or_an_overlong_text_is_refused_clearly(client, session, report, fields,
                                                               error):
    token = _csrf(client.get(f"{_path(report)}?lang=en").get_data(as_text=True))
    response = client.post(f"{_path(report)}?lang=en", data={"csrf_token": token, **fields})
    assert response.status_code == 422 and error in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Report, report.id).status is ReportStatus.FIXED


def _staff_page(app, session, report) -> str:
    staff = english_client(app)
    make_staff_user(session, role=Role.ADMIN)
    session.commit()
    post_login(staff)
    return staff.get(f"/staff/reports/{report.id}").get_data(as_text=True)


def test_staff_see_until_when_residents_are_asked(app, session, report):
    assert "Residents asked &#34;is it fixed?&#34; until" in _staff_page(app, session, report)


def test_a_follower_answers_on_their_own_page(app, client, session, report):
    follower = make_follower(session, report, "seuraaja@example.fi", language="en")
    session.commit()
    path = f"/fixed/follower/{follower.id}/{fix_check_token(SECRET_KEY, follower.token_nonce)}"
    response = _answer(client, path, "yes")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your answer: Yes, it is fixed" in page and "/follow/" not in page
    reporter_page = client.get(f"{_path(report)}?lang=en").get_data(as_text=True)
    assert "This question has closed" in reporter_page
    staff_page = _staff_page(app, session, report)
    assert "Confirmed fixed by a resident" in staff_page and "A follower" in staff_page
    assert "seuraaja@example.fi" not in staff_page
    assert "Residents asked" not in staff_page


def test_a_follower_does_not_answer_for_a_report_no_longer_public(client, session, report):
    follower = make_follower(session, report, "seuraaja@example.fi", language="en")
    report.is_public = False
    session.commit()
    path = f"/fixed/follower/{follower.id}/{fix_check_token(SECRET_KEY, follower.token_nonce)}"
    assert client.get(f"{path}?answer=no&lang=en").status_code == 404
    token = _csrf(client.get(f"{_path(report)}?answer=no&lang=en").get_data(as_text=True))
    answered = client.post(f"{path}?lang=en", data={"csrf_token": token, "answer": "no"},
                           content_type="multipart/form-data")
    assert answered.status_code == 404
    assert session.get(Report, report.id, populate_existing=True).status is ReportStatus.FIXED

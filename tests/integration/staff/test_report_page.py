"""A report's staff page: everything about it, public and internal apart, the contact log."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.models import ContactAccess, EventKind, OutboxMessage, Photo, Report, ReportEvent
from feedbackgis.services.catalog.response_templates import TemplateFields, create_template
from feedbackgis.services.reports.submission import follow_up_token
from tests.integration.factories import make_category, make_report
from tests.integration.photos.helpers import upload
from tests.integration.staff.staff_world import build_world, csrf, sign_in_as
from tests.photo_files import jpeg_bytes

SECRET_KEY = "test-secret-key"


@pytest.fixture
def world(session):
    return build_world(session)


def _post(client, report_id, suffix, **data):
    token = csrf(client, f"/staff/reports/{report_id}")
    return client.post(f"/staff/reports/{report_id}{suffix}", data={**data, "csrf_token": token})


def test_the_page_shows_the_history_the_nearby_reports_and_no_contact_until_asked(
        client, session, world):
    near = make_report(session, world.category, party=world.unit_a, lon=24.9385, lat=60.1700,
                       description="Toinen lamppu")
    session.commit()
    sign_in_as(client, world.users["handler_a"])
    page = client.get(f"/staff/reports/{world.report_a.id}").get_data(as_text=True)
    assert "Lamppu A ei pala" in page and f"#{near.id}" in page
    assert "aino@example.fi" not in page and "040 123 4567" not in page
    assert session.scalars(select(ContactAccess)).all() == []


def test_showing_the_contact_is_logged_with_who_saw_it(client, session, world):
    handler = world.users["handler_a"]
    sign_in_as(client, handler)
    page = _post(client, world.report_a.id, "/contact").get_data(as_text=True)
    assert "aino@example.fi" in page and "040 123 4567" in page and "Aino Asukas" in page
    [logged] = session.scalars(select(ContactAccess)).all()
    assert (logged.report_id, logged.staff_user_id, logged.context) == (
        world.report_a.id, handler.id, "staff_page")


def test_a_public_reply_reaches_the_resident_and_an_internal_note_stays_inside(
        client, session, world):
    report_id = world.report_a.id
    sign_in_as(client, world.users["handler_a"])
    assert _post(client, report_id, "/reply", reply="Vaihdamme lampun ensi viikolla.").status_code == 303
    assert _post(client, report_id, "/note", note="Varaosa tilattu, tilaus 4411.").status_code == 303
    events = session.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id)
                             .order_by(ReportEvent.id)).all()
    reply, note = events[-2], events[-1]
    assert (reply.kind, reply.is_public) == (EventKind.REPLY, True)
    assert (note.kind, note.is_public) == (EventKind.NOTE, False)
    topics = session.scalars(select(OutboxMessage.topic)).all()
    assert topics.count("report.replied") == 1  # the reply is emailed; the note is not
    report = session.get(Report, report_id)
    follow_up = client.get(f"/follow/{follow_up_token(report, SECRET_KEY)}").get_data(as_text=True)
    public = client.get(f"/reports/{report_id}").get_data(as_text=True)
    for shown in (follow_up, public):
        assert "Vaihdamme lampun ensi viikolla." in shown
        assert "Varaosa tilattu" not in shown and "4411" not in shown
    staff_page = client.get(f"/staff/reports/{report_id}").get_data(as_text=True)
    assert "Varaosa tilattu, tilaus 4411." in staff_page


@pytest.mark.parametrize(("suffix", "data", "field"), [
    ("/reply", {"reply": "   "}, "field-reply"),
    ("/note", {"note": "a\x00b"}, "field-note"),
    ("/status", {"status": "duplicate"}, "field-status"),
    ("/status", {"status": "no-such-status"}, "field-status"),
])
def test_bad_input_shows_the_form_again_with_what_was_wrong(client, session, world, suffix,
                                                            data, field):
    report_id = world.report_a.id
    before = session.scalar(select(ReportEvent.id).order_by(ReportEvent.id.desc()).limit(1))
    sign_in_as(client, world.users["handler_a"])
    response = _post(client, report_id, suffix, **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}"' in page and 'aria-invalid="true"' in page and 'role="alert"' in page
    after = session.scalar(select(ReportEvent.id).order_by(ReportEvent.id.desc()).limit(1))
    assert after == before


def test_a_transition_the_state_machine_refuses_is_a_conflict_on_the_page(client, world):
    sign_in_as(client, world.users["handler_a"])
    assert _post(client, world.report_a.id, "/status", status="fixed").status_code == 303
    response = _post(client, world.report_a.id, "/status", status="waiting")
    assert response.status_code == 409
    assert 'id="status-error"' in response.get_data(as_text=True)


def test_the_moderator_hides_a_photo_and_the_history_says_so(client, session, world, app,
                                                            tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    uploaded = upload(client, jpeg_bytes())
    assert uploaded.status_code == 201
    photo = session.scalar(select(Photo).order_by(Photo.id.desc()).limit(1))
    photo.report_id = world.report_a.id
    session.commit()
    assert client.get(f"/photos/{photo.id}.jpg").status_code == 200
    sign_in_as(client, world.users["moderator"])
    response = _post(client, world.report_a.id, f"/photos/{photo.id}/hide")
    assert response.status_code == 303
    session.refresh(photo)
    assert photo.hidden
    assert client.get(f"/photos/{photo.id}.jpg").status_code == 404
    assert client.get(f"/staff/reports/{world.report_a.id}/photos/{photo.id}.jpg").status_code == 200
    kinds = session.scalars(select(ReportEvent.kind).where(
        ReportEvent.report_id == world.report_a.id)).all()
    assert EventKind.PHOTO_HIDDEN in kinds



def test_a_ready_answer_starts_the_reply_in_the_reporters_language(client, session, world):
    make_category(session, "pothole")
    session.commit()
    fields = {"status": "in_progress", "title": "Työn alla", "auto_response": False,
              "text_fi": "Ilmoitus #{id} ({category}) on työn alla.", "text_sv": "På gång.",
              "text_en": "In progress."}
    mine = create_template(session, TemplateFields(category="streetlight", **fields))
    not_mine = create_template(session, TemplateFields(category="pothole", **fields))
    sign_in_as(client, world.users["handler_a"])
    report_id = world.report_a.id
    page = client.get(f"/staff/reports/{report_id}").get_data(as_text=True)
    assert f"template={mine.id}" in page and f"template={not_mine.id}" not in page
    chosen = client.get(f"/staff/reports/{report_id}?template={mine.id}").get_data(as_text=True)
    assert f"Ilmoitus #{report_id} (streetlight fi) on työn alla.</textarea>" in chosen
    for wrong in (str(not_mine.id), "abc", "99999999999999"):
        page = client.get(f"/staff/reports/{report_id}?template={wrong}")
        assert page.status_code == 200
        assert "on työn alla.</textarea>" not in page.get_data(as_text=True)

"""What a contractor does with a work order, signed in or by its link: accept, start, mark
done with an after-photo (re-encoded, EXIF gone), hand back to triage (the reason
internal). Bad input is refused on its field with 422, and nothing is stored."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import db
from feedbackgis.media import storage_from_config
from feedbackgis.models import EventKind, OutboxMessage, Photo, PhotoKind, Report
from feedbackgis.services.reports.submission import follow_up_token
from tests.integration.factories import SECRET_KEY
from tests.integration.staff.staff_world import sign_in_as
from tests.integration.work_orders.work_world import csrf, link_of
from tests.photo_files import camera_jpeg, noisy_jpeg, pixel_flood_png

NOTE = "Lamppu vaihdettu, valo palaa."
REASON = "Kaapelivika: kuuluu sähköyhtiölle, ei meille."


def _post(client, path: str, **form):
    token = csrf(client, path.rsplit("/", 1)[0])  # the work order's page, with its forms
    return client.post(path, data={**form, "csrf_token": token},
                       content_type="multipart/form-data")


def _photo(data: bytes = b"", name: str = "IMG_0042.jpg"):
    return (io.BytesIO(data or camera_jpeg()), name, "image/jpeg")


def fresh(report: Report) -> Report:
    """The report as the requests left it (each request ends the test's session too)."""
    db.session.expire_all()
    return db.session.get(Report, report.id)


def _kinds(report: Report) -> list[EventKind]:
    return [event.kind for event in fresh(report).events]


def _photos_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo)
                             .where(Photo.kind == PhotoKind.AFTER))


@pytest.fixture(params=["account", "link"])
def door(request, client, world):
    """The path of a1's work order by one of the two doors (signed in as A, or its link)."""
    if request.param == "account":
        sign_in_as(client, world.users["contractor_a"])
        return f"/work/{world.a1.id}"
    return link_of(world.a1)


def test_accepting_records_who_took_it_and_leaves_the_status_assigned(client, world, door):
    response = _post(client, f"{door}/accept")
    assert response.status_code == 303 and "done=accept" in response.location
    assert _kinds(world.a1)[-1] is EventKind.ACCEPTED
    accepted = fresh(world.a1).events[-1]
    assert not accepted.is_public and accepted.actor
    assert fresh(world.a1).status is ReportStatus.ASSIGNED
    page = client.get(response.location).get_data(as_text=True)
    assert "Accept the work order" not in page and "Start the work" in page


def test_accepting_twice_is_a_conflict_that_adds_nothing(client, world, door):
    _post(client, f"{door}/accept")
    response = _post(client, f"{door}/accept")
    assert response.status_code == 409
    assert _kinds(world.a1).count(EventKind.ACCEPTED) == 1


def test_starting_puts_it_in_progress_and_tells_the_reporter(client, world, door):
    response = _post(client, f"{door}/start")
    assert response.status_code == 303
    assert fresh(world.a1).status is ReportStatus.IN_PROGRESS
    assert fresh(world.a1).events[-1].is_public
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.topic == "report.status_changed")) == 1


def test_done_with_an_after_photo_fixes_it_and_stores_the_photo_re_encoded_without_exif(
        app, client, world, door):
    original = camera_jpeg()
    assert b"Exif" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    response = _post(client, f"{door}/done", note=NOTE, photo=_photo(original))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert fresh(world.a1).status is ReportStatus.FIXED
    done = fresh(world.a1).events[-1]
    assert done.to_status is ReportStatus.FIXED and done.note == NOTE and done.is_public
    [after] = db.session.scalars(select(Photo).where(Photo.kind == PhotoKind.AFTER)).all()
    assert after.report_id == world.a1.id
    stored = storage_from_config(app.config).get(after.image_key)
    assert stored != original and b"Exif" not in stored
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG" and not picture.getexif()
    assert fresh(world.a1).work_order_nonce is None  # done: the link ends
    assert fresh(world.a1).fix_check_until is not None  # the reporter is asked


def test_the_reporter_sees_it_fixed_with_the_note_and_the_after_photo(
        client, world, door):
    _post(client, f"{door}/done", note=NOTE, photo=_photo())
    follow_up = client.get(f"/follow/{follow_up_token(world.a1, SECRET_KEY)}?lang=en")
    page = follow_up.get_data(as_text=True)
    assert "Fixed" in page and NOTE in page
    after = db.session.scalar(select(Photo).where(Photo.kind == PhotoKind.AFTER))
    assert f"/photos/{after.id}.jpg" in page and "Photo 2: the work done" in page  # after the hidden one


def test_a_link_that_marked_its_work_order_done_opens_it_no_more(client, world):
    link = link_of(world.a1)
    response = _post(client, f"{link}/done", note=NOTE, photo=_photo())
    assert response.status_code == 303 and "/work/finished" in response.location
    finished = client.get(response.location).get_data(as_text=True)
    assert "marked done" in finished and "Lamppu A1" not in finished
    assert client.get(link).status_code == 404


def test_handing_back_sends_it_to_triage_without_party_and_keeps_the_reason_internal(
        client, world, door):
    response = _post(client, f"{door}/hand-back", reason=REASON)
    assert response.status_code == 303
    report = fresh(world.a1)
    assert report.status is ReportStatus.TRIAGE
    assert (report.assigned_party_id, report.assigned_user_id, report.due_at,
            report.work_order_nonce) == (None, None, None, None)
    handed = next(e for e in report.events if e.kind is EventKind.HANDED_BACK)
    assert handed.note == REASON and not handed.is_public
    assert not report.events[-1].is_public  # the move to triage: not news for the reporter
    follow_up = client.get(f"/follow/{follow_up_token(report, SECRET_KEY)}?lang=en")
    public = client.get(f"/reports/{report.id}?lang=en")
    for page in (follow_up, public):
        assert REASON not in page.get_data(as_text=True)


def test_a_handed_back_work_order_is_out_of_the_contractors_reach(client, world):
    sign_in_as(client, world.users["contractor_a"])
    _post(client, f"/work/{world.a1.id}/hand-back", reason=REASON)
    assert client.get(f"/work/{world.a1.id}").status_code == 404


@pytest.mark.parametrize(("form", "field_text"), [
    ({"note": "", "photo": "camera"}, "Write what was done"),
    ({"note": "   ", "photo": "camera"}, "Write what was done"),
    ({"note": "a\x00b", "photo": "camera"}, "Write what was done"),
    ({"note": "x" * 5001, "photo": "camera"}, "Write what was done"),
    ({"note": NOTE}, "Add a photo of the work done"),
    ({"note": NOTE, "photo": "not a photo"}, "Add a photo of the work done"),
    ({"note": NOTE, "photo": "flood"}, "Add a photo of the work done"),
])
def test_done_without_a_usable_note_or_photo_is_refused_and_stores_nothing(
        client, world, door, media_root, form, field_text):
    sent = dict(form)
    if "photo" in sent:
        data = {"camera": camera_jpeg(), "not a photo": b"<html>hello</html>" * 10,
                "flood": pixel_flood_png()}[sent["photo"]]
        sent["photo"] = _photo(data)
    before = len(_kinds(world.a1))
    response = _post(client, f"{door}/done", **sent)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert field_text in body and 'aria-invalid="true"' in body
    assert len(_kinds(world.a1)) == before and fresh(world.a1).status is ReportStatus.ASSIGNED
    assert _photos_stored() == 0
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


@pytest.mark.parametrize("reason", ["", "a\x00b", "x" * 5001])
def test_handing_back_without_a_usable_reason_is_refused_and_changes_nothing(
        client, world, door, reason):
    response = _post(client, f"{door}/hand-back", reason=reason)
    assert response.status_code == 422
    assert "Write why you are handing" in response.get_data(as_text=True)
    assert fresh(world.a1).status is ReportStatus.ASSIGNED
    assert fresh(world.a1).assigned_party_id == world.contractor_a.id


def test_a_fixed_work_order_offers_no_actions_and_refuses_them(client, world):
    sign_in_as(client, world.users["contractor_a"])
    page = client.get(f"/work/{world.a_fixed.id}").get_data(as_text=True)
    assert "Mark done" not in page and "Hand back" not in page
    response = _post(client, f"/work/{world.a_fixed.id}/start")
    assert response.status_code == 409
    assert fresh(world.a_fixed).status is ReportStatus.FIXED


def test_nothing_is_changed_without_the_forms_csrf_token(client, world):
    response = client.post(f"{link_of(world.a1)}/accept")
    assert response.status_code == 400
    assert EventKind.ACCEPTED not in _kinds(world.a1)


def test_the_staff_see_who_accepted_and_why_it_was_handed_back(client, world):
    _post(client, f"{link_of(world.a1)}/hand-back", reason=REASON)
    sign_in_as(client, world.users["admin"])
    page = client.get(f"/staff/reports/{world.a1.id}").get_data(as_text=True)
    assert "Work order handed back" in page and REASON in page


def test_done_with_neither_note_nor_photo_names_both_fields(client, world, door):
    response = _post(client, f"{door}/done", note="")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="note-error"' in body and 'id="photo-error"' in body


def test_a_phone_sized_photo_larger_than_the_forms_limit_is_taken(app, client, world):
    photo = noisy_jpeg(1600, 1200)
    assert len(photo) > app.config["MAX_CONTENT_LENGTH"]
    response = _post(client, f"{link_of(world.a1)}/done", note=NOTE,
                     photo=_photo(photo))
    assert response.status_code == 303
    assert fresh(world.a1).status is ReportStatus.FIXED

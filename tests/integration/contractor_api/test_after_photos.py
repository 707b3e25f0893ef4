"""After-photos through the work-order API: the residents' pipeline, the report's photo."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import EventKind, Photo, PhotoKind, Report, ReportEvent
from feedbackgis.services.contractor_api.updates import AFTER_PHOTOS_MAX
from tests.photo_files import camera_jpeg

from .world import as_party, two_contractors


@pytest.fixture
def media_root(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    return tmp_path / "media"


@pytest.fixture
def world(session):
    return two_contractors(session)


def _send(caller, report_id: int, data: bytes, name: str = "after.jpg"):
    return caller.post(f"/api/v1/work-orders/{report_id}/photos",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_an_after_photo_is_re_encoded_without_exif_and_becomes_the_reports_photo(
        client, session, world, media_root):
    caller = as_party(client, world.token_a)
    sent = _send(caller, world.order_a.id, camera_jpeg())
    assert sent.status_code == 201, sent.json
    photo = session.get(Photo, sent.json["id"])
    assert (photo.kind, photo.report_id) == (PhotoKind.AFTER, world.order_a.id)
    assert sent.headers["Location"] == sent.json["url"]
    served = caller.get(sent.json["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"Exif" not in served.data and b"TestPhone" not in served.data
    assert "private" in served.headers["Cache-Control"]
    assert as_party(client, world.token_b).get(sent.json["url"]).status_code == 404
    # The report's photo for everyone who sees its photos: its public page too.
    public = client.get(f"/api/v1/reports/{world.order_a.id}").json
    assert len(public["photos"]) == 1
    listed = caller.get(f"/api/v1/work-orders/{world.order_a.id}").json["photos"]
    assert [(p["id"], p["kind"]) for p in listed] == [(photo.id, "after")]
    (event,) = session.scalars(select(ReportEvent).where(ReportEvent.kind == EventKind.NOTE))
    assert (event.is_public, event.data["photo_id"], event.actor) == (False, photo.id,
                                                                      "Valaistus ERP")


def test_what_is_not_a_photo_is_refused_and_attached_to_nothing(client, session, world,
                                                                media_root):
    caller = as_party(client, world.token_a)
    assert _send(caller, world.order_a.id, b"%PDF-1.4 not a photo", "x.pdf").status_code == 415
    missing = caller.post(f"/api/v1/work-orders/{world.order_a.id}/photos", data={},
                          content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.json["fields"]
    not_multipart = caller.post(f"/api/v1/work-orders/{world.order_a.id}/photos", json={})
    assert not_multipart.status_code == 415
    assert session.scalar(select(Photo.id).where(Photo.report_id.is_not(None))) is None


def test_a_work_order_takes_a_limited_number_of_after_photos(client, session, world,
                                                             media_root):
    caller = as_party(client, world.token_a)
    answers = [_send(caller, world.order_a.id, camera_jpeg()).status_code
               for _ in range(AFTER_PHOTOS_MAX + 1)]
    assert answers == [201] * AFTER_PHOTOS_MAX + [409]
    positions = session.scalars(select(Photo.position).where(
        Photo.report_id == world.order_a.id).order_by(Photo.position)).all()
    assert len(set(positions)) == AFTER_PHOTOS_MAX


def test_a_closed_work_order_takes_no_photos(client, session, world, media_root):
    session.get(Report, world.order_a.id).status = ReportStatus.CLOSED
    session.commit()
    refused = _send(as_party(client, world.token_a), world.order_a.id, camera_jpeg())
    assert refused.status_code == 409 and refused.json["error"] == "conflict"


def test_a_photo_staff_hid_is_not_served_to_the_party(client, session, world, media_root):
    caller = as_party(client, world.token_a)
    sent = _send(caller, world.order_a.id, camera_jpeg()).json
    session.get(Photo, sent["id"]).hidden = True
    session.commit()
    assert caller.get(sent["url"]).status_code == 404
    assert caller.get(f"/api/v1/work-orders/{world.order_a.id}").json["photos"] == []
    assert caller.get(f"{sent['url']}?thumbnail=2").status_code == 422

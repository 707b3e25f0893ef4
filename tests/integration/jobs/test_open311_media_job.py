"""The Open311 media job: a client's media_url fetched from a loopback HTTP server (the edge
of the world) into the report's photo, re-encoded without EXIF GPS; a temporary failure
raises for a retry with nothing stored, a permanent one is dropped."""
from __future__ import annotations

import io
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from PIL import Image
from sqlalchemy import select

from feedbackgis.extensions import db
from feedbackgis.jobs.open311_media import fetch_open311_media
from feedbackgis.jobs.queues import MEDIA
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.models import OutboxJob, Photo
from feedbackgis.services.open311.media import MediaUnavailable
from tests.integration.open311.submission_world import (
    BASE,
    VALID,
    build_submission_world,
    post_request,
)
from tests.local_servers import LoopbackHttpServer
from tests.photo_files import camera_jpeg

PHOTO = camera_jpeg()  # a phone's JPEG with the GPS position of Helsinki Cathedral
ANSWERS = {
    "/photo.jpg": (200, {"Content-Type": "image/jpeg"}, PHOTO),
    "/moved": (302, {"Location": "/photo.jpg"}, b""),
    "/to-ftp": (302, {"Location": "ftp://127.0.0.1/photo.jpg"}, b""),
    "/missing": (404, {}, b"no"),
    "/page": (200, {"Content-Type": "image/jpeg"}, b"<html>not a photo</html>"),
    "/busy": (503, {}, b"later"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        status, headers, body = ANSWERS.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def host() -> Iterator[str]:
    with LoopbackHttpServer(_Handler, "photo-host") as server:
        yield server.origin


@pytest.fixture
def media_root(app, tmp_path, monkeypatch):
    root = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(root))
    monkeypatch.setitem(app.config, "OPEN311_MEDIA_PRIVATE_HOSTS", True)  # the loopback host
    monkeypatch.setitem(app.config, "OPEN311_MEDIA_TIMEOUT", 5.0)
    return root


@pytest.fixture
def submit(app, committed):
    world = build_submission_world(committed)
    committed.commit()

    def send(media_url: str) -> int:
        response = post_request(app.test_client(), world.key, {**VALID, "media_url": media_url})
        assert response.status_code == 200, response.get_json()
        return int(response.get_json()[0]["service_request_id"])

    return send


def _photos(session, report_id: int) -> list[Photo]:
    session.expire_all()
    return list(session.scalars(select(Photo).where(Photo.report_id == report_id)))


def _files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_media_url_becomes_the_reports_photo_without_its_gps(
        app, committed, media_root, host, submit) -> None:
    report_id = submit(f"{host}/moved")  # a redirect to http is followed
    with app.app_context():
        assert fetch_open311_media(report_id) is True
        assert fetch_open311_media(report_id) is False  # a retry or a duplicate: done already
    [photo] = _photos(committed, report_id)
    stored = (media_root / photo.image_key).read_bytes()
    assert b"Exif" not in stored and b"TestPhone" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert image.size == Image.open(io.BytesIO(PHOTO)).size
    shown = app.test_client().get(f"{BASE}/requests/{report_id}.json").get_json()[0]
    assert shown["media_url"] == f"http://localhost/photos/{photo.id}.jpg"


@pytest.mark.parametrize("path", ["/missing", "/page", "/to-ftp"])
def test_a_url_that_will_never_give_a_photo_is_dropped(
        app, committed, media_root, host, submit, path, caplog) -> None:
    report_id = submit(f"{host}{path}")
    with app.app_context():
        assert fetch_open311_media(report_id) is False
    assert _photos(committed, report_id) == []
    assert committed.scalars(select(Photo)).all() == []
    assert _files(media_root) == []
    assert f"media_url of report {report_id} dropped" in caplog.text
    assert host not in caplog.text  # the URL is never logged


def test_a_photo_over_the_upload_limit_is_dropped(app, committed, media_root, host, submit,
                                                  monkeypatch) -> None:
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", len(PHOTO) - 1)
    report_id = submit(f"{host}/photo.jpg")
    with app.app_context():
        assert fetch_open311_media(report_id) is False
    assert committed.scalars(select(Photo)).all() == []


def test_a_busy_host_raises_for_a_retry_and_nothing_is_stored(
        app, committed, media_root, host, submit) -> None:
    report_id = submit(f"{host}/busy")
    with app.app_context(), pytest.raises(MediaUnavailable):
        fetch_open311_media(report_id)
    assert committed.scalars(select(Photo)).all() == []
    assert _files(media_root) == []


def test_a_host_on_a_private_address_is_refused_unless_allowed(
        app, committed, media_root, host, submit, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "OPEN311_MEDIA_PRIVATE_HOSTS", False)
    report_id = submit(f"{host}/photo.jpg")
    with app.app_context():
        assert fetch_open311_media(report_id) is False
    assert committed.scalars(select(Photo)).all() == []


def test_the_outbox_row_runs_the_fetch_on_the_media_queue_in_a_real_worker(
        app, committed, redis_server, drain, media_root, host, submit) -> None:
    report_id = submit(f"{host}/photo.jpg")
    relay_batch(db.session_factory(), redis_server.client(), app.config)
    jobs = committed.scalars(select(OutboxJob).where(OutboxJob.queue == MEDIA)).all()
    assert [(job.queue, job.kwargs) for job in jobs] == [(MEDIA, {"report_id": report_id})]
    drain(lambda: len(_photos(committed, report_id)) == 1)

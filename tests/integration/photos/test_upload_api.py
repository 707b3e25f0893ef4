"""POST /api/v1/photos: judged by content, limited before decoding, kept only re-encoded."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from feedbackgis.domain.tokens import hash_token
from feedbackgis.models import OutboxMessage, Photo
from tests.photo_files import (
    HELSINKI,
    HTML_PAGE,
    PDF_FILE,
    camera_jpeg,
    heic_bytes,
    html_polyglot_jpeg,
    noisy_jpeg,
    pixel_flood_png,
)

from .helpers import stored_files, upload


def _photo_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Photo))


def _refused(response, status: int, error: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.json["error"] == error
    return response.json


def test_an_upload_answers_its_token_size_and_gps_and_keeps_only_a_clean_jpeg(
        client, session, media_root):
    original = camera_jpeg(orientation=6)
    response = upload(client, original)
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == {"upload_token", "width", "height", "gps"}
    assert (body["width"], body["height"]) == (200, 400)  # turned upright
    assert (body["gps"]["lon"], body["gps"]["lat"]) == pytest.approx(HELSINKI, abs=1e-6)
    assert len(body["upload_token"]) >= 40
    assert response.headers["Cache-Control"] == "no-store"

    photo = session.scalars(select(Photo)).one()
    assert photo.report_id is None and photo.thumbnail_key is None and not photo.hidden
    assert photo.upload_token_hash == hash_token(body["upload_token"])
    [kept] = stored_files(media_root)
    assert kept == media_root / photo.image_key
    assert kept.read_bytes() != original and b"Exif" not in kept.read_bytes()
    assert photo.bytes == kept.stat().st_size
    message = session.scalars(select(OutboxMessage)).one()
    assert (message.topic, message.payload) == ("photo.uploaded", {"photo_id": photo.id})


def test_a_heic_photo_is_taken(client, media_root):
    response = upload(client, heic_bytes(), filename="IMG_0002.HEIC", content_type="image/heic")
    assert response.status_code == 201, response.json
    assert response.json["gps"] is None


def test_a_photo_larger_than_the_json_body_limit_is_taken(app, client, media_root):
    photo = noisy_jpeg(1400, 1000)
    assert len(photo) > app.config["MAX_CONTENT_LENGTH"]
    assert upload(client, photo).status_code == 201


def test_the_json_api_keeps_its_own_body_limit(app, client):
    body = {"category": "streetlight", "address": "x",
            "description": "x" * app.config["MAX_CONTENT_LENGTH"]}
    _refused(client.post("/api/v1/reports", json=body), 413, "request_entity_too_large")


def test_a_photo_over_the_byte_limit_is_413_whether_framing_or_file_tells(
        app, client, session, media_root, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 100_000)
    just_over = noisy_jpeg(360, 360)  # ~120 kB: within the framing allowance of the request
    assert 100_000 < len(just_over) < 100_000 + 64 * 1024
    assert "100,000" in _refused(upload(client, just_over), 413,
                                 "request_entity_too_large")["message"]
    _refused(upload(client, noisy_jpeg(600, 600)), 413, "request_entity_too_large")
    assert _photo_count(session) == 0 and stored_files(media_root) == []


@pytest.mark.parametrize(("content", "what"), [
    (HTML_PAGE, "an HTML page"), (html_polyglot_jpeg(), "a JPEG that is an HTML page too"),
    (PDF_FILE, "a PDF"),
], ids=["html", "polyglot", "pdf"])
def test_what_is_no_photo_is_415_even_named_jpg_and_sent_as_image_jpeg(
        client, session, media_root, content, what):
    body = _refused(upload(client, content, filename="x.jpg", content_type="image/jpeg"),
                    415, "unsupported_media_type")
    assert "file" in body["fields"], what
    assert _photo_count(session) == 0 and stored_files(media_root) == []


def test_a_pixel_flood_png_is_413_and_nothing_is_kept(client, session, media_root):
    body = _refused(upload(client, pixel_flood_png(), filename="flood.png",
                           content_type="image/png"), 413, "request_entity_too_large")
    assert "30000 x 30000 pixels" in body["message"] or "too many pixels" in body["message"]
    assert _photo_count(session) == 0 and stored_files(media_root) == []


def test_a_body_that_is_not_multipart_is_415(client):
    _refused(client.post("/api/v1/photos", json={"file": "x"}), 415, "unsupported_media_type")


def test_multipart_without_a_file_part_is_422_naming_the_field(client):
    response = client.post("/api/v1/photos", content_type="multipart/form-data",
                           data={"file": "not a file part", "other": "x"})
    assert _refused(response, 422, "validation_failed")["fields"]["file"]


def test_a_damaged_jpeg_is_422(client, media_root):
    _refused(upload(client, camera_jpeg()[:400]), 422, "validation_failed")


def test_the_kept_photo_opens_as_the_jpeg_the_answer_describes(client, session, media_root):
    body = upload(client, camera_jpeg()).json
    photo = session.scalars(select(Photo)).one()
    image = Image.open(io.BytesIO((media_root / photo.image_key).read_bytes()))
    assert (image.format, image.size) == ("JPEG", (body["width"], body["height"]))


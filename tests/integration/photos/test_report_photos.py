"""Photos attached on submission (each token once, in the same transaction, replays too),
served only for a published report and not hidden, never as the upload itself."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from feedbackgis.models import Photo, Report
from feedbackgis.services.photos import storage_from_config
from feedbackgis.services.photos.moderation import hide_photo, unhide_photo
from feedbackgis.services.photos.thumbnails import make_thumbnail
from tests.photo_files import camera_jpeg, jpeg_bytes, two_colour_picture

from .helpers import submit, upload_token

KEY = "3c1f4b9e-photo-resend"


def _photos_of(session, report_id: int) -> list[Photo]:
    session.expire_all()
    return list(session.scalars(
        select(Photo).where(Photo.report_id == report_id).order_by(Photo.position)))


def _refused_photos(response) -> str:
    assert response.status_code == 422, response.json
    return " ".join(response.json["fields"]["photos"])


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_photos_named_on_submission_are_attached_in_their_order(client, session, municipality,
                                                                media_root):
    tokens = [upload_token(client, jpeg_bytes(two_colour_picture(100 + i, 100)))
              for i in range(3)]
    response = submit(client, tokens)
    assert response.status_code == 201, response.json
    photos = _photos_of(session, response.json["id"])
    assert [photo.width for photo in photos] == [100, 101, 102]
    assert [photo.position for photo in photos] == [0, 1, 2]


def test_a_token_attaches_once_the_second_report_is_refused_naming_photos(
        client, session, municipality, media_root):
    token = upload_token(client, camera_jpeg())
    assert submit(client, [token]).status_code == 201
    assert "already used" in _refused_photos(submit(client, [token]))
    assert _count(session, Report) == 1


def test_an_unknown_token_refuses_the_whole_report(client, session, municipality, media_root):
    good = upload_token(client, camera_jpeg())
    assert "item 1" in _refused_photos(submit(client, [good, "no-such-token"]))
    assert _count(session, Report) == 0
    assert session.scalars(select(Photo.report_id)).all() == [None]  # free to use again
    assert submit(client, [good]).status_code == 201


def test_more_than_three_photos_or_one_twice_is_refused(client, municipality, media_root):
    tokens = [upload_token(client, camera_jpeg()) for _ in range(4)]
    assert _refused_photos(submit(client, tokens))
    assert "only once" in _refused_photos(submit(client, [tokens[0], tokens[0]]))


def test_an_upload_older_than_a_day_no_longer_attaches(client, session, municipality,
                                                       media_root):
    token = upload_token(client, camera_jpeg())
    session.execute(update(Photo).values(created_at=func.now() - timedelta(hours=25)))
    assert "expired" in _refused_photos(submit(client, [token]))


def test_a_resend_with_the_same_idempotency_key_replays_and_attaches_nothing_again(
        client, session, municipality, media_root):
    token = upload_token(client, camera_jpeg())
    first = submit(client, [token], **{"Idempotency-Key": KEY})
    again = submit(client, [token], **{"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 201, again.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]
    assert _count(session, Report) == 1
    assert len(_photos_of(session, first.json["id"])) == 1


def _public_photo(client, session, category: str = "streetlight") -> Photo:
    token = upload_token(client, camera_jpeg(orientation=6))
    response = submit(client, [token], category=category)
    assert response.status_code == 201, response.json
    [photo] = _photos_of(session, response.json["id"])
    return photo


def test_a_photo_of_a_public_report_is_served_as_its_clean_jpeg(client, session,
                                                                municipality, media_root):
    photo = _public_photo(client, session)
    response = client.get(f"/photos/{photo.id}.jpg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.data == (media_root / photo.image_key).read_bytes()
    assert b"Exif" not in response.data and response.data != camera_jpeg(orientation=6)
    etag = response.headers["ETag"]
    assert client.get(f"/photos/{photo.id}.jpg",
                      headers={"If-None-Match": etag}).status_code == 304


def test_the_thumbnail_is_the_photo_until_it_is_made(app, client, session, municipality,
                                                      media_root):
    photo = _public_photo(client, session)
    before = client.get(f"/photos/{photo.id}/thumbnail.jpg")
    assert before.status_code == 200 and before.data == (media_root / photo.image_key).read_bytes()
    assert make_thumbnail(session, storage_from_config(app.config), photo.id) is True
    session.refresh(photo)
    after = client.get(f"/photos/{photo.id}/thumbnail.jpg")
    assert after.headers["Content-Type"] == "image/jpeg"
    assert after.data == (media_root / photo.thumbnail_key).read_bytes() != before.data


def test_a_hidden_photo_is_404_until_shown_again(client, session, municipality, media_root):
    photo = _public_photo(client, session)
    hide_photo(session, photo.id)
    for path in (f"/photos/{photo.id}.jpg", f"/photos/{photo.id}/thumbnail.jpg"):
        assert client.get(path).status_code == 404
    unhide_photo(session, photo.id)
    assert client.get(f"/photos/{photo.id}.jpg").status_code == 200


def test_a_photo_of_a_report_not_yet_published_is_404(client, session, municipality,
                                                      media_root):
    photo = _public_photo(client, session, category="graffiti")  # moderated first
    assert client.get(f"/photos/{photo.id}.jpg").status_code == 404


@pytest.mark.parametrize("accept", ["*/*", "application/json"])
def test_an_unattached_or_unknown_photo_is_404(client, session, media_root, accept):
    upload_token(client, camera_jpeg())
    photo_id = session.scalars(select(Photo.id)).one()
    for path in (f"/photos/{photo_id}.jpg", "/photos/2147483647.jpg", "/photos/0.jpg"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 404
        assert response.mimetype == ("text/html" if accept == "*/*" else "application/json")


def test_the_public_view_of_a_report_lists_its_visible_photos(client, session, municipality,
                                                              media_root):
    photo = _public_photo(client, session)
    body = client.get(f"/api/v1/reports/{photo.report_id}").json
    [listed] = body["photos"]
    assert listed["url"].endswith(f"/photos/{photo.id}.jpg")
    assert listed["thumbnail_url"].endswith(f"/photos/{photo.id}/thumbnail.jpg")
    assert (listed["width"], listed["height"]) == (photo.width, photo.height)
    assert client.get(listed["url"]).status_code == 200
    hide_photo(session, photo.id)
    assert client.get(f"/api/v1/reports/{photo.report_id}").json["photos"] == []

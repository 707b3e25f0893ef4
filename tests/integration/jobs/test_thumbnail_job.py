"""The thumbnail job: relayed from the upload's outbox row to the media queue, run by a real
worker, and a second run does nothing."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from feedbackgis.extensions import db
from feedbackgis.jobs.media import make_thumbnail
from feedbackgis.jobs.queues import MEDIA
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.media.photos import THUMBNAIL_LONG_SIDE
from feedbackgis.models import OutboxJob, OutboxJobState, Photo
from feedbackgis.services.photos.keys import thumbnail_key_for
from tests.integration.photos.helpers import upload
from tests.photo_files import camera_jpeg, jpeg_bytes, two_colour_picture


@pytest.fixture
def media_root(app, tmp_path, monkeypatch):
    """The worker's forked work horses read the app's settings: this folder, too."""
    root = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(root))
    return root


def _photo(session) -> Photo:
    session.expire_all()
    return session.scalars(select(Photo)).one()


def test_a_real_worker_makes_the_thumbnail_once(app, committed, redis_server, drain,
                                                media_root):
    picture = jpeg_bytes(two_colour_picture(1600, 1200), exif=None)
    assert upload(app.test_client(), picture).status_code == 201
    assert relay_batch(db.session_factory(), redis_server.client(), app.config) == 1
    job = committed.scalars(select(OutboxJob)).one()
    assert (job.queue, job.kwargs) == (MEDIA, {"photo_id": _photo(committed).id})

    drain(lambda: _photo(committed).thumbnail_key is not None)
    photo = _photo(committed)
    assert photo.thumbnail_key == thumbnail_key_for(photo.image_key)
    thumbnail = (media_root / photo.thumbnail_key).read_bytes()
    image = Image.open(io.BytesIO(thumbnail))
    assert (image.format, image.size) == ("JPEG", (THUMBNAIL_LONG_SIDE, 300))
    assert dict(image.getexif()) == {} and b"Exif" not in thumbnail

    with app.app_context():
        assert make_thumbnail(photo.id) is False  # a duplicate or a retry: nothing to do
        assert make_thumbnail(photo.id + 1000) is False  # pruned meanwhile
    assert (media_root / photo.thumbnail_key).read_bytes() == thumbnail


def test_the_outbox_row_of_an_upload_is_done_once_its_thumbnail_job_finished(
        app, committed, redis_server, drain, media_root):
    from feedbackgis.jobs.reconcile import reconcile_jobs

    assert upload(app.test_client(), camera_jpeg()).status_code == 201
    relay_batch(db.session_factory(), redis_server.client(), app.config)
    drain(lambda: _photo(committed).thumbnail_key is not None)

    def done() -> bool:
        reconcile_jobs(db.session_factory(), redis_server.client(), app.config)
        committed.expire_all()
        return committed.scalars(select(OutboxJob.state)).one() == OutboxJobState.DONE

    drain(done)

"""Uploads never attached are pruned after a day, files too; the party's work order email
carries the report's re-encoded photos."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image
from sqlalchemy import select, update

from feedbackgis.models import Photo, Report
from feedbackgis.services.notifications.report_notifications import notify_party_of_assignment
from feedbackgis.services.photos import storage_from_config
from feedbackgis.services.photos.attachments import photo_attachments
from feedbackgis.services.photos.pruning import prune_unattached_photos
from tests.photo_files import camera_jpeg

from .helpers import PARTY_EMAIL, stored_files, submit, upload_token


def _age(session, photo_ids: list[int], hours: int) -> None:
    session.execute(update(Photo).where(Photo.id.in_(photo_ids))
                    .values(created_at=datetime.now(UTC) - timedelta(hours=hours)))
    session.commit()


def test_uploads_never_attached_are_pruned_after_a_day_with_their_files(
        app, client, session, municipality, media_root):
    for _ in range(3):
        upload_token(client, camera_jpeg())
    attached = upload_token(client, camera_jpeg())
    assert submit(client, [attached]).status_code == 201
    old, recent = session.scalars(select(Photo).where(Photo.report_id.is_(None))).all()[:2]
    kept = session.scalars(select(Photo).where(Photo.report_id.is_not(None))).one()
    _age(session, [old.id, kept.id], hours=25)
    old_file = media_root / old.image_key

    storage = storage_from_config(app.config)
    assert prune_unattached_photos(session, storage, datetime.now(UTC)) == 1
    session.expire_all()
    left = set(session.scalars(select(Photo.id)))
    assert old.id not in left and {recent.id, kept.id} <= left
    assert not old_file.exists()
    assert len(stored_files(media_root)) == 3
    assert prune_unattached_photos(session, storage, datetime.now(UTC)) == 0


def test_the_party_email_carries_the_re_encoded_photos_not_the_uploads(
        app, client, session, municipality, media_root, smtp, links, mail_sink):
    uploads = [camera_jpeg(orientation=6), camera_jpeg()]
    response = submit(client, [upload_token(client, data) for data in uploads])
    report_id = response.json["id"]
    sent = notify_party_of_assignment(session, smtp, links, report_id=report_id,
                                      party_id=municipality.id, outbox_id=1,
                                      photos=storage_from_config(app.config))
    assert sent == 1
    [message] = mail_sink.to(PARTY_EMAIL)
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [
        f"report-{report_id}-photo-1.jpg", f"report-{report_id}-photo-2.jpg"]
    photos = session.scalars(select(Photo).order_by(Photo.position)).all()
    for attachment, photo, original in zip(attachments, photos, uploads, strict=True):
        data = attachment.get_content()
        assert data == (media_root / photo.image_key).read_bytes() != original
        assert b"Exif" not in data and Image.open(io.BytesIO(data)).format == "JPEG"


def test_hidden_photos_and_photos_over_the_size_cap_are_not_attached(
        app, client, session, municipality, media_root):
    response = submit(client, [upload_token(client, camera_jpeg()) for _ in range(3)])
    photos = session.scalars(select(Photo).order_by(Photo.position)).all()
    photos[0].hidden = True
    session.commit()
    storage = storage_from_config(app.config)
    report = session.get(Report, response.json["id"])
    assert len(photo_attachments(session, storage, report)) == 2
    assert len(photo_attachments(session, storage, report, max_bytes=photos[1].bytes)) == 1

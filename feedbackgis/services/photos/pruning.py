"""Uploads never attached to a report are deleted after UPLOAD_VALID (nightly)."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from feedbackgis.media import PhotoStorage
from feedbackgis.models import Photo
from feedbackgis.services.photos.attaching import UPLOAD_VALID

log = logging.getLogger(__name__)
BATCH = 500


def prune_unattached_photos(session: Session, storage: PhotoStorage, now: datetime) -> int:
    """Delete uploads older than UPLOAD_VALID that no report took, rows and files; commits.

    Rows go first (locked, so a submission attaching one at this moment either wins or finds
    it gone), then their files: a file left by a crash in between is only disk space.
    """
    pruned = 0
    while True:
        keys_of_rows = _delete_batch(session, now)
        for key in (key for keys in keys_of_rows for key in keys if key):
            try:
                storage.delete(key)
            except OSError as exc:
                log.warning("Could not delete photo file %s: %s", key, exc)
        pruned += len(keys_of_rows)
        if len(keys_of_rows) < BATCH:
            return pruned


def _delete_batch(session: Session, now: datetime) -> list[tuple[str, str | None]]:
    """Delete up to BATCH old unattached rows; commits; their storage keys."""
    rows = session.execute(
        select(Photo.id, Photo.image_key, Photo.thumbnail_key)
        .where(Photo.report_id.is_(None), Photo.created_at < now - UPLOAD_VALID)
        .order_by(Photo.id).limit(BATCH).with_for_update(skip_locked=True)).all()
    if rows:
        session.execute(delete(Photo).where(Photo.id.in_([row.id for row in rows])))
    session.commit()
    return [(row.image_key, row.thumbnail_key) for row in rows]

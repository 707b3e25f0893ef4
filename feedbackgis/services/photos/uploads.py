"""upload_photo: check and re-encode an upload, keep it, and queue its thumbnail."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from feedbackgis.domain.tokens import hash_token
from feedbackgis.media import PhotoLimits, PhotoStorage, prepare_photo
from feedbackgis.media.exif import GpsPosition
from feedbackgis.media.photos import CONTENT_TYPE
from feedbackgis.models import OutboxTopic, Photo, PhotoKind
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.photos.keys import new_image_key

UPLOAD_TOKEN_BYTES = 32  # 256 bits: a capability, like the follow-up token


@dataclass(frozen=True)
class UploadedPhoto:
    photo_id: int
    upload_token: str  # shown to the uploader once; only its hash is stored
    width: int
    height: int
    gps: GpsPosition | None  # from the EXIF that was thrown away; never stored


def upload_photo(session: Session, storage: PhotoStorage, data: bytes, limits: PhotoLimits,
                 *, kind: PhotoKind = PhotoKind.REPORTER) -> UploadedPhoto:
    """Check `data`, store its re-encoded copy and record it, unattached; then commit.

    Raises InvalidInput, TooLarge or UnsupportedMedia (naming the field `file`). The file
    is written before the row commits; when the commit fails, it is deleted again.
    """
    prepared = prepare_photo(data, limits)
    token = secrets.token_urlsafe(UPLOAD_TOKEN_BYTES)
    key = new_image_key()
    storage.put(key, prepared.jpeg.data)
    try:
        photo = Photo(image_key=key, content_type=CONTENT_TYPE, width=prepared.jpeg.width,
                      height=prepared.jpeg.height, bytes=len(prepared.jpeg.data), kind=kind,
                      upload_token_hash=hash_token(token))
        session.add(photo)
        session.flush()
        record_side_effect(session, OutboxTopic.PHOTO_UPLOADED, photo_id=photo.id)
        session.commit()
    except BaseException:
        session.rollback()
        storage.delete(key)
        raise
    return UploadedPhoto(photo_id=photo.id, upload_token=token, width=photo.width,
                         height=photo.height, gps=prepared.gps)

"""make_thumbnail: the small copy of a photo, made once by a background job."""
from __future__ import annotations

from sqlalchemy.orm import Session

from feedbackgis.media import PhotoStorage
from feedbackgis.media import make_thumbnail as encode_thumbnail
from feedbackgis.models import Photo
from feedbackgis.services.photos.keys import thumbnail_key_for


def make_thumbnail(session: Session, storage: PhotoStorage, photo_id: int) -> bool:
    """Make the photo's thumbnail; False when there is nothing to do (already made, or the
    photo is gone). A run interrupted before its commit writes the same key again."""
    photo = session.get(Photo, photo_id)
    if photo is None or photo.thumbnail_key is not None:
        session.rollback()
        return False
    try:
        image = storage.get(photo.image_key)
    except FileNotFoundError:  # pruned meanwhile: the row goes with it
        session.rollback()
        return False
    key = thumbnail_key_for(photo.image_key)
    storage.put(key, encode_thumbnail(image).data)
    photo.thumbnail_key = key
    session.commit()
    return True

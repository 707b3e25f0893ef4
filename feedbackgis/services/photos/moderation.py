"""Staff hide a photo from everyone (a face, a number plate) and show it again."""
from __future__ import annotations

from sqlalchemy.orm import Session

from feedbackgis.errors import NotFound
from feedbackgis.models import Photo


def hide_photo(session: Session, photo_id: int) -> Photo:
    """Served to no one from now on (public caches may keep it up to Cache-Control's
    max-age); commits."""
    return _set_hidden(session, photo_id, hidden=True)


def unhide_photo(session: Session, photo_id: int) -> Photo:
    return _set_hidden(session, photo_id, hidden=False)


def _set_hidden(session: Session, photo_id: int, *, hidden: bool) -> Photo:
    photo = session.get(Photo, photo_id)
    if photo is None:
        raise NotFound("No such photo.")
    photo.hidden = hidden
    session.commit()
    return photo

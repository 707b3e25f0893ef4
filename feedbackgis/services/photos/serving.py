"""Which photo files anyone may fetch: those of a public report that staff did not hide."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.errors import NotFound
from feedbackgis.models import Photo, Report


def public_photo_key(session: Session, photo_id: int, *, thumbnail: bool = False) -> str:
    """The storage key to serve; NotFound for a photo nobody may see (unattached, hidden,
    of a report not public), the same answer as for no photo at all.

    A thumbnail not made yet is served as the photo itself (re-encoded all the same).
    """
    photo = session.scalar(
        select(Photo).join(Report, Report.id == Photo.report_id)
        .where(Photo.id == photo_id, Photo.hidden.is_(False), Report.is_public.is_(True)))
    return _key_of(photo, thumbnail)


def reporter_photo_key(session: Session, token_hash: str, photo_id: int, *,
                       thumbnail: bool = False) -> str:
    """The storage key of a photo of the report the follow-up token opens: the reporter
    sees every photo of their own report, published or not, hidden or not."""
    photo = session.scalar(
        select(Photo).join(Report, Report.id == Photo.report_id)
        .where(Photo.id == photo_id, Report.follow_up_token_hash == token_hash))
    return _key_of(photo, thumbnail)


def photo_key_of_report(session: Session, report_id: int, photo_id: int, *,
                        thumbnail: bool = False) -> str:
    """The storage key of one of report_id's photos, hidden or not: for staff who may see
    the report (the caller checks that)."""
    photo = session.scalar(select(Photo).where(Photo.id == photo_id,
                                               Photo.report_id == report_id))
    return _key_of(photo, thumbnail)


def _key_of(photo: Photo | None, thumbnail: bool) -> str:
    if photo is None:
        raise NotFound("No such photo.")
    if thumbnail and photo.thumbnail_key is not None:
        return photo.thumbnail_key
    return photo.image_key

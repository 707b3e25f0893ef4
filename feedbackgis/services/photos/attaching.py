"""attach_photos: the submission names its uploads by their tokens; each attaches once."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.limits import REPORT_PHOTOS_MAX
from feedbackgis.domain.tokens import hash_token
from feedbackgis.errors import InvalidInput
from feedbackgis.models import Photo, PhotoKind, Report

FIELD = "photos"
# An upload not attached within this time is refused, and pruned by the nightly job.
UPLOAD_VALID = timedelta(hours=24)


def attach_photos(session: Session, report: Report, tokens: Sequence[str]) -> list[Photo]:
    """Attach the uploads named by `tokens` to `report`, in that order. Does not commit.

    The photos are locked: of two submissions naming the same token at once, the second
    waits for the first and then finds it used. Raises InvalidInput (field `photos`).
    """
    if len(tokens) > REPORT_PHOTOS_MAX:
        raise InvalidInput(f"At most {REPORT_PHOTOS_MAX} photos per report.", field=FIELD)
    if len(set(tokens)) != len(tokens):
        raise InvalidInput("Each photo can be attached only once.", field=FIELD)
    hashes = [hash_token(token) for token in tokens]
    found = {photo.upload_token_hash: photo for photo in _attachable(session, hashes)}
    missing = [str(index) for index, value in enumerate(hashes) if value not in found]
    if missing:
        raise InvalidInput(
            f"Unknown, expired or already used upload token (item {', '.join(missing)}): "
            "upload the photo again.", field=FIELD)
    photos = [found[value] for value in hashes]
    for position, photo in enumerate(photos):
        photo.report_id = report.id
        photo.position = position
    session.flush()
    return photos


def _attachable(session: Session, hashes: list[str]) -> list[Photo]:
    if not hashes:
        return []
    return list(session.scalars(
        select(Photo).where(
            Photo.upload_token_hash.in_(hashes), Photo.report_id.is_(None),
            Photo.kind == PhotoKind.REPORTER, Photo.created_at > func.now() - UPLOAD_VALID)
        .order_by(Photo.id).with_for_update()))

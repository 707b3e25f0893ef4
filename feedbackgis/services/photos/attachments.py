"""A report's photos as email attachments: the re-encoded copies, never an original."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.mail.message import Attachment
from feedbackgis.media import PhotoStorage
from feedbackgis.models import Photo, Report

log = logging.getLogger(__name__)
# All photos of a report fit (3 x ~1.5 MB at most), and the message stays well below the
# 10 MB that receiving mail servers commonly take after base64 (+33 %).
ATTACHMENTS_MAX_BYTES = 6_000_000


def photo_attachments(session: Session, storage: PhotoStorage, report: Report,
                      max_bytes: int = ATTACHMENTS_MAX_BYTES) -> list[Attachment]:
    """The report's visible photos in their order, as many as fit in `max_bytes`."""
    photos = session.scalars(
        select(Photo).where(Photo.report_id == report.id, Photo.hidden.is_(False))
        .order_by(Photo.position, Photo.id)).all()
    attachments: list[Attachment] = []
    total = 0
    for number, photo in enumerate(photos, start=1):
        if total + photo.bytes > max_bytes:
            break
        try:
            data = storage.get(photo.image_key)
        except FileNotFoundError:
            log.warning("Photo %s of report %s has no file", photo.id, report.id)
            continue
        attachments.append(Attachment(f"report-{report.id}-photo-{number}.jpg",
                                      photo.content_type, data))
        total += len(data)
    return attachments

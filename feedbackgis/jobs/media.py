"""Photo jobs (the media queue): take ids, do nothing the second time."""
from __future__ import annotations

from feedbackgis.jobs.context import job_session, photo_storage
from feedbackgis.services.photos import thumbnails


def make_thumbnail(photo_id: int) -> bool:
    with job_session() as session:
        return thumbnails.make_thumbnail(session, photo_storage(), photo_id)

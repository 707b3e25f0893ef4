"""The Open311 media job (the media queue): a client system's media_url into the report's
photo. Takes the report's id; a second run does nothing; a temporary failure raises, so
the retry policy tries again (services/open311/media.py)."""
from __future__ import annotations

from flask import current_app

from feedbackgis.jobs.context import job_session, photo_storage
from feedbackgis.services.open311 import media


def fetch_open311_media(report_id: int) -> bool:
    with job_session() as session:
        return media.fetch_submitted_media(
            session, photo_storage(), media.MediaSettings.from_config(current_app.config),
            report_id)

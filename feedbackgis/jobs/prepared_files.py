"""The job that prepares a file a staff member asked for (FILE_REQUESTED): an export or a
heatmap, made by services/analytics/prepared_files.make_file in the configured folder."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app

from feedbackgis.jobs.context import job_session
from feedbackgis.services.analytics.prepared_files import make_file


def export_folder() -> Path:
    return Path(current_app.config["EXPORT_FOLDER"])


def prepare_file(file_id: int) -> str | None:
    """Make the file; a done one is left as it is (a duplicate or a retry does nothing).
    Returns the file's state, for RQ's result and the logs."""
    with job_session() as session:
        keep = timedelta(hours=int(current_app.config["EXPORT_KEEP_HOURS"]))
        state = make_file(session, file_id, export_folder(), keep)
        return None if state is None else state.value

"""Jobs that email staff users about their account; they take ids, and send once."""
from __future__ import annotations

from flask import current_app

from feedbackgis.jobs.context import job_session, links, smtp_settings
from feedbackgis.services.staff.password_reset import send_password_reset_email


def send_password_reset(user_id: int, language: str | None, outbox_id: int) -> int:
    with job_session() as session:
        return send_password_reset_email(
            session, smtp_settings(), links(), user_id=user_id, language=language,
            outbox_id=outbox_id, valid_hours=current_app.config["STAFF_PASSWORD_RESET_HOURS"])

"""The closed loop's jobs: "is it fixed?" asked, a reopening told (take ids, idempotent)."""
from __future__ import annotations

from flask import current_app

from feedbackgis.jobs.context import job_session, links, photo_storage, smtp_settings
from feedbackgis.services.notifications import fix_check_notifications as fix_checks


def _time_zone() -> str:
    return current_app.config["TIMEZONE"]


def ask_reporter_if_fixed(report_id: int, event_id: int) -> int:
    with job_session() as session:
        return fix_checks.ask_reporter_if_fixed(
            session, smtp_settings(), links(), report_id=report_id, event_id=event_id,
            time_zone=_time_zone())


def ask_followers_if_fixed(report_id: int, event_id: int) -> int:
    with job_session() as session:
        return fix_checks.ask_followers_if_fixed(
            session, smtp_settings(), links(), report_id=report_id, event_id=event_id,
            time_zone=_time_zone())


def notify_party_of_reopening(report_id: int, event_id: int) -> int:
    with job_session() as session:
        return fix_checks.notify_party_of_reopening(
            session, smtp_settings(), links(), report_id=report_id, event_id=event_id,
            time_zone=_time_zone(), photos=photo_storage())


def notify_residents_of_reopening(report_id: int, event_id: int) -> int:
    with job_session() as session:
        return fix_checks.notify_residents_of_reopening(
            session, smtp_settings(), links(), report_id=report_id, event_id=event_id)

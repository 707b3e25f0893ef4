"""Notification jobs: take ids, run in any order, any number of times (deliver_once)."""
from __future__ import annotations

from feedbackgis.jobs.context import job_session, links, photo_storage, smtp_settings
from feedbackgis.services.notifications import report_notifications as notifications


def notify_party_of_assignment(report_id: int, party_id: int, outbox_id: int) -> int:
    with job_session() as session:
        return notifications.notify_party_of_assignment(
            session, smtp_settings(), links(),
            report_id=report_id, party_id=party_id, outbox_id=outbox_id,
            photos=photo_storage(),
        )


def notify_reporter_of_submission(report_id: int, outbox_id: int) -> int:
    with job_session() as session:
        return notifications.notify_reporter_of_submission(
            session, smtp_settings(), links(), report_id=report_id, outbox_id=outbox_id
        )


def notify_reporter_of_update(report_id: int, event_id: int) -> int:
    with job_session() as session:
        return notifications.notify_reporter_of_update(
            session, smtp_settings(), links(), report_id=report_id, event_id=event_id
        )


def notify_followers_of_update(report_id: int, event_id: int) -> int:
    with job_session() as session:
        return notifications.notify_followers_of_update(
            session, smtp_settings(), links(), report_id=report_id, event_id=event_id
        )

"""Notification jobs: take ids, run in any order, any number of times (deliver_once)."""
from __future__ import annotations

from flask import current_app

from feedbackgis.jobs.context import job_session, links, photo_storage, smtp_settings
from feedbackgis.services.notifications import (
    merge_notifications,
    overdue_notifications,
    person_assignment,
    reporter_news,
)
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


def notify_of_escalation(report_id: int, level: int) -> int:
    """An overdue report's escalation step: the party's reminder (1) or the manager's (2)."""
    with job_session() as session:
        return overdue_notifications.notify_of_escalation(
            session, smtp_settings(), links(), report_id=report_id, level=level,
            time_zone=current_app.config["TIMEZONE"],
        )


def notify_of_merge(report_id: int, original_id: int, follower_ids: list[int],
                    reporter_follower_id: int | None) -> int:
    """A duplicate merged: its reporter and followers hear of the original from now on."""
    with job_session() as session:
        return merge_notifications.notify_of_merge(
            session, smtp_settings(), links(), report_id=report_id, original_id=original_id,
            follower_ids=follower_ids, reporter_follower_id=reporter_follower_id)


def notify_person_of_assignment(report_id: int, user_id: int, event_id: int) -> int:
    """The email to the staff member a report was given to."""
    with job_session() as session:
        return person_assignment.notify_person_of_assignment(
            session, smtp_settings(), links(), report_id=report_id, user_id=user_id,
            event_id=event_id)


def notify_staff_of_reporter_news(report_id: int, event_id: int) -> int:
    """The reporter added to the report or withdrew it: whoever works on it is told."""
    with job_session() as session:
        return reporter_news.notify_staff_of_reporter_news(
            session, smtp_settings(), links(), report_id=report_id, event_id=event_id)

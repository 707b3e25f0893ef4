"""What each outbox topic sets going: the jobs the relay enqueues for a row of that topic."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from feedbackgis.jobs.queues import MAINTENANCE, MEDIA, NOTIFICATIONS
from feedbackgis.models import OutboxMessage, OutboxTopic

JOBS = "feedbackgis.jobs"


@dataclass(frozen=True)
class JobRoute:
    queue: str
    function: str  # dotted path: the worker imports it, the relay does not need to
    arguments: tuple[str, ...]  # payload keys passed as keyword arguments
    # The job keys what it sends by the outbox row (e.g. one assignment email per row).
    with_outbox_id: bool = False

    def kwargs(self, message: OutboxMessage) -> dict[str, Any]:
        kwargs = {name: message.payload[name] for name in self.arguments}
        if self.with_outbox_id:
            kwargs["outbox_id"] = message.id
        return kwargs


# Every topic is here (a unit test checks it); a topic with no routes is a fact nobody acts
# on yet.
ROUTES: dict[OutboxTopic, tuple[JobRoute, ...]] = {
    OutboxTopic.REPORT_SUBMITTED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_reporter_of_submission",
                 ("report_id",), with_outbox_id=True),
    ),
    OutboxTopic.REPORT_ASSIGNED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_party_of_assignment",
                 ("report_id", "party_id"), with_outbox_id=True),
        JobRoute(NOTIFICATIONS, f"{JOBS}.webhooks.notify_party_webhook_of_assignment",
                 ("report_id", "party_id"), with_outbox_id=True),
        JobRoute(NOTIFICATIONS, f"{JOBS}.open311_sending.send_report_to_party_open311",
                 ("report_id", "party_id")),
    ),
    OutboxTopic.REPORT_TRIAGED: (),
    OutboxTopic.REPORT_STATUS_CHANGED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_reporter_of_update",
                 ("report_id", "event_id")),
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_followers_of_update",
                 ("report_id", "event_id")),
        JobRoute(NOTIFICATIONS, f"{JOBS}.webhooks.notify_party_webhook_of_update",
                 ("report_id", "event_id"), with_outbox_id=True),
    ),
    OutboxTopic.AREA_SUBSCRIPTION_CREATED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.subscriptions.send_subscription_confirmation",
                 ("subscription_id",)),
    ),
    OutboxTopic.REPORT_INFORMATION_ADDED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_staff_of_reporter_news",
                 ("report_id", "event_id")),
    ),
    OutboxTopic.REPORT_WITHDRAWN: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_staff_of_reporter_news",
                 ("report_id", "event_id")),
    ),
    OutboxTopic.REPORT_FOLLOWER_CREATED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.subscriptions.send_follower_confirmation",
                 ("follower_id",)),
    ),
    OutboxTopic.REPORT_REPLIED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_reporter_of_update",
                 ("report_id", "event_id")),
        JobRoute(NOTIFICATIONS, f"{JOBS}.webhooks.notify_party_webhook_of_update",
                 ("report_id", "event_id"), with_outbox_id=True),
    ),
    OutboxTopic.REPORT_ESCALATED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_of_escalation",
                 ("report_id", "level")),
    ),
    OutboxTopic.REPORT_PERSON_ASSIGNED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_person_of_assignment",
                 ("report_id", "user_id", "event_id")),
    ),
    OutboxTopic.REPORT_MERGED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_of_merge",
                 ("report_id", "original_id", "follower_ids", "reporter_follower_id")),
    ),
    OutboxTopic.PHOTO_UPLOADED: (
        JobRoute(MEDIA, f"{JOBS}.media.make_thumbnail", ("photo_id",)),
    ),
    OutboxTopic.STAFF_PASSWORD_RESET: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.staff_mail.send_password_reset",
                 ("user_id", "language"), with_outbox_id=True),
    ),
    OutboxTopic.REPORT_FIX_CHECK_STARTED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.fix_checks.ask_reporter_if_fixed",
                 ("report_id", "event_id")),
        JobRoute(NOTIFICATIONS, f"{JOBS}.fix_checks.ask_followers_if_fixed",
                 ("report_id", "event_id")),
    ),
    # The one who answered saw the answer's page; nobody else needs an email of it, but a
    # contractor's system hears of every public change of its work orders.
    OutboxTopic.REPORT_FIX_CONFIRMED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.webhooks.notify_party_webhook_of_update",
                 ("report_id", "event_id"), with_outbox_id=True),
    ),
    OutboxTopic.REPORT_REOPENED: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.fix_checks.notify_party_of_reopening",
                 ("report_id", "event_id")),
        JobRoute(NOTIFICATIONS, f"{JOBS}.fix_checks.notify_residents_of_reopening",
                 ("report_id", "event_id")),
        JobRoute(NOTIFICATIONS, f"{JOBS}.webhooks.notify_party_webhook_of_update",
                 ("report_id", "event_id"), with_outbox_id=True),
    ),
    # The long work of the staff's exports and heatmaps waits behind every urgent queue.
    OutboxTopic.FILE_REQUESTED: (
        JobRoute(MAINTENANCE, f"{JOBS}.prepared_files.prepare_file", ("file_id",)),
    ),
    # A client system's media_url: fetched into the photo pipeline like an upload.
    OutboxTopic.OPEN311_MEDIA_SUBMITTED: (
        JobRoute(MEDIA, f"{JOBS}.open311_media.fetch_open311_media", ("report_id",)),
    ),
    OutboxTopic.OPEN311_SEND_AGAIN: (
        JobRoute(NOTIFICATIONS, f"{JOBS}.open311_sending.send_report_to_party_open311",
                 ("report_id", "party_id")),
    ),
}


def routes_of(topic: str) -> tuple[JobRoute, ...] | None:
    """The topic's routes; None for a topic that is not (or no longer) an OutboxTopic."""
    try:
        return ROUTES[OutboxTopic(topic)]
    except ValueError:
        return None


def job_id(outbox_id: int, position: int) -> str:
    """Stable per outbox row and route: enqueuing again replaces, never duplicates."""
    return f"outbox-{outbox_id}-{position}"

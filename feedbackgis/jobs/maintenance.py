"""Periodic jobs (see jobs/schedule.py): digests, overdue check, nightly housekeeping."""
from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from feedbackgis.jobs.context import job_session, links, photo_storage, smtp_settings
from feedbackgis.services.maintenance import housekeeping
from feedbackgis.services.photos.pruning import prune_unattached_photos
from feedbackgis.services.reports.idempotency import prune_keys
from feedbackgis.services.subscriptions import area_subscriptions as subscriptions

log = logging.getLogger(__name__)


def run_daily_digests() -> int:
    """Hourly: once it is DIGEST_HOUR or later in the municipality, send today's digests
    (each subscriber's digest is keyed by the day, so later runs send nothing new)."""
    with job_session() as session:
        now = datetime.now(UTC)
        local = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
        if local.hour < int(current_app.config["DIGEST_HOUR"]):
            return 0
        # Local time: the digest is keyed by the municipality's day and shows its times.
        return subscriptions.send_daily_digests(session, smtp_settings(), links(), now=local)


def check_overdue_reports() -> int:
    with job_session() as session:
        overdue = housekeeping.overdue_reports(session, datetime.now(UTC))
        if overdue:
            log.warning("Reports past their due date: %s", overdue)
        return len(overdue)


def nightly_maintenance() -> dict[str, int]:
    with job_session() as session:
        now = datetime.now(UTC)
        return {
            "outbox_rows_pruned": housekeeping.prune_outbox(session, now),
            "notifications_pruned": housekeeping.prune_notifications(session, now),
            "unconfirmed_subscriptions_purged": subscriptions.purge_unconfirmed(session, now),
            "idempotency_keys_pruned": prune_keys(session, now),
            "unattached_photos_pruned": prune_unattached_photos(session, photo_storage(), now),
        }

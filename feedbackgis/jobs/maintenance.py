"""Periodic jobs (see jobs/schedule.py): digests, overdue check, nightly housekeeping."""
from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from feedbackgis.jobs.context import job_session, links, photo_storage, smtp_settings
from feedbackgis.services.maintenance import housekeeping
from feedbackgis.services.photos.pruning import prune_unattached_photos
from feedbackgis.services.reports.escalation import EscalationPolicy, escalate_overdue_reports
from feedbackgis.services.reports.fix_check import end_expired_fix_checks
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
    """Hourly: remind the parties of reports past their due date, and later their managers
    (services/reports/escalation.py); returns how many escalation steps were taken."""
    with job_session() as session:
        policy = EscalationPolicy.from_config(current_app.config)
        return escalate_overdue_reports(session, policy, datetime.now(UTC)).total


def end_unanswered_fix_checks() -> int:
    """Hourly: a fixed report whose "is it fixed?" nobody answered in FIX_CHECK_DAYS stays
    fixed, and the question closes; returns how many closed."""
    with job_session() as session:
        return end_expired_fix_checks(session, datetime.now(UTC))


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

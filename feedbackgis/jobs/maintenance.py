"""Periodic jobs (see jobs/schedule.py): digests, overdue check, nightly housekeeping."""
from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from feedbackgis.jobs.context import job_session, links, photo_storage, smtp_settings
from feedbackgis.jobs.prepared_files import export_folder
from feedbackgis.services.analytics import hot_spots
from feedbackgis.services.analytics.prepared_files import delete_expired_files
from feedbackgis.services.analytics.refresh import (
    RefreshOutcome,
    refresh_all_figures,
    refresh_changed_figures,
)
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
            "prepared_files_deleted": delete_expired_files(session, export_folder(), now),
        }


def find_hot_spots() -> dict[str, int]:
    """Nightly: the recurring hot spots of the last twelve months, found again (every row
    replaced in one transaction, so a rerun or a retry leaves the same result)."""
    with job_session() as session:
        distance_m, min_reports, srid = hot_spots.hot_spot_config(current_app.config)
        found = hot_spots.find_hot_spots(session, datetime.now(UTC), distance_m,
                                         min_reports, srid=srid)
        return {"hot_spots": found.hot_spots, "reports": found.reports}


def _refreshed(outcome: RefreshOutcome) -> dict[str, object]:
    # JSON for RQ: the months as YYYY-MM.
    return {"full": outcome.full, "months": [month.isoformat()[:7] for month in outcome.months]}


def refresh_changed_figures_job() -> dict[str, object]:
    """Every few minutes: the figures' months whose reports changed, counted again (the
    first run counts them all)."""
    with job_session() as session:
        return _refreshed(refresh_changed_figures(session, current_app.config["TIMEZONE"]))


def refresh_all_figures_job() -> dict[str, object]:
    """Nightly: every month of the figures counted again (a report deleted by retention
    leaves no change for the frequent refresh to find)."""
    with job_session() as session:
        return _refreshed(refresh_all_figures(session, current_app.config["TIMEZONE"]))

"""The monthly summaries' job (jobs/schedule.py runs it hourly)."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from feedbackgis.jobs.context import job_session, links, smtp_settings
from feedbackgis.services.analytics.monthly_summary import previous_month
from feedbackgis.services.analytics.summary_sending import (
    Delivery,
    SummarySettings,
    send_monthly_summaries,
    summaries_done,
)


def summary_settings() -> SummarySettings:
    return SummarySettings(time_zone=current_app.config["TIMEZONE"],
                           metric_srid=int(current_app.config["METRIC_SRID"]))


def send_last_months_summaries() -> int:
    """Hourly: from SUMMARY_HOUR on the 1st of a month (local time), send the previous
    month's summaries unless they went out already. Hourly rather than once at that hour,
    so that a worker or scheduler that was down then still sends them when it is back;
    returns how many emails were sent now."""
    with job_session() as session:  # (also the app context the settings are read from)
        settings = summary_settings()
        local = datetime.now(UTC).astimezone(ZoneInfo(settings.time_zone))
        if local.day == 1 and local.hour < int(current_app.config["SUMMARY_HOUR"]):
            return 0
        month = previous_month(local, settings.time_zone)
        if summaries_done(session, month):
            return 0
        run = send_monthly_summaries(session, smtp_settings(), links(), month=month,
                                     settings=settings)
        return run.count(Delivery.SENT)

"""The periodic jobs, run by RQ's own cron scheduler (`feedbackgis jobs scheduler`)."""
from __future__ import annotations

from dataclasses import dataclass

from redis import Redis
from rq.cron import CronJob, CronScheduler
from rq.job import Job

from feedbackgis.jobs import maintenance, open311_sending, summaries
from feedbackgis.jobs.queues import MAINTENANCE, NOTIFICATIONS, REPORTS, get_queue


@dataclass(frozen=True)
class Periodic:
    function: object
    queue: str
    cron: str  # in the machine's local time; the jobs themselves use TIMEZONE
    why: str


PERIODIC = (
    Periodic(maintenance.run_daily_digests, NOTIFICATIONS, "5 * * * *",
             "hourly; sends each subscriber's digest once a day, from DIGEST_HOUR on"),
    Periodic(maintenance.check_overdue_reports, MAINTENANCE, "15 * * * *",
             "hourly check of reports past their due date"),
    Periodic(maintenance.end_unanswered_fix_checks, MAINTENANCE, "25 * * * *",
             "hourly: unanswered \"is it fixed?\" questions close, their reports stay fixed"),
    Periodic(maintenance.nightly_maintenance, MAINTENANCE, "30 3 * * *",
             "nightly: prune old outbox rows, notification records, unconfirmed subscriptions"),
    Periodic(maintenance.find_hot_spots, MAINTENANCE, "40 3 * * *",
             "nightly: the recurring hot spots of the last 12 months, found again"),
    Periodic(maintenance.refresh_changed_figures_job, MAINTENANCE, "*/5 * * * *",
             "every 5 minutes: the figures' months with changed reports, counted again"),
    Periodic(maintenance.refresh_all_figures_job, MAINTENANCE, "10 3 * * *",
             "nightly: every month of the figures counted again (deleted reports too)"),
    Periodic(summaries.send_last_months_summaries, NOTIFICATIONS, "50 * * * *",
             "hourly; the previous month's summaries once, from SUMMARY_HOUR on the 1st"),
    Periodic(open311_sending.pull_open311_updates, REPORTS, "* * * * *",
             "every OPEN311_PULL_MINUTES (the job skips the minutes between): the updates "
             "of parties' own Open311 systems"),
)


class JsonCronJob(CronJob):
    """RQ's CronJob enqueues with RQ's default (pickle) serializer; our workers read JSON."""

    def enqueue(self, connection: Redis) -> Job:
        job = get_queue(self.queue_name, connection).enqueue(
            self.func, args=self.args, kwargs=self.kwargs, **self.job_options
        )
        return job


def build_scheduler(connection: Redis) -> CronScheduler:
    scheduler = CronScheduler(connection=connection, name="feedbackgis")
    for periodic in PERIODIC:
        job = JsonCronJob(queue_name=periodic.queue, func=periodic.function, cron=periodic.cron)
        scheduler._cron_jobs.append(job)  # noqa: SLF001 - register() hard-codes CronJob
    return scheduler

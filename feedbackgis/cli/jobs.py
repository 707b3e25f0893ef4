"""`feedbackgis jobs ...`: the worker, the outbox relay, the scheduler, failed jobs."""
from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.extensions import db, redis_conn
from feedbackgis.jobs.failed import list_failed_jobs, retry_failed_job
from feedbackgis.jobs.monitoring import JobsStatus, jobs_status
from feedbackgis.jobs.relay import run_relay
from feedbackgis.jobs.worker import run_worker
from feedbackgis.services.admin.audit import CLI


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs: worker, outbox relay, scheduler, failed jobs."""


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run an RQ worker on every queue, most urgent first (retries are scheduled too).

    It lives through Redis restarting: the worker starts again once Redis answers."""
    run_worker(redis_conn.client, current_app.config, burst=burst)


@jobs_group.command("relay")
@with_appcontext
def relay() -> None:
    """Move side effects from the database outbox to the job queues until stopped.

    While Redis is down the rows wait in the database; the relay retries with back-off
    and catches up when Redis is back."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    click.echo("Outbox relay running; Ctrl-C stops it.")
    run_relay(db.session_factory, redis_conn.client, current_app.config, stop)


@jobs_group.command("scheduler")
@with_appcontext
def scheduler() -> None:
    """Run the periodic jobs (RQ's cron scheduler) until stopped."""
    # Imported here: the schedule pulls in every periodic job's module, which the other
    # commands (and the web app, which registers this CLI) do not need.
    from feedbackgis.jobs.schedule import PERIODIC, build_scheduler

    for periodic in PERIODIC:
        click.echo(f"  {periodic.cron:<12} {periodic.function.__name__}: {periodic.why}")
    build_scheduler(redis_conn.client).start()


@jobs_group.command("failed")
@with_appcontext
def failed() -> None:
    """List jobs that used up their retries, with the reason of the last failure."""
    jobs = list_failed_jobs(redis_conn.client)
    if not jobs:
        click.echo("No failed jobs.")
    for job in jobs:
        ended = f"{job.ended_at:%Y-%m-%d %H:%M:%S}" if job.ended_at else "-"
        args = ", ".join(f"{k}={v}" for k, v in job.arguments.items())
        click.echo(f"{job.id}  {job.queue:<13} {ended}  {job.function.rsplit('.', 1)[-1]}({args})")
        click.echo(f"    {job.reason}")


@jobs_group.command("retry")
@click.argument("job_id")
@with_appcontext
@fail_on_service_error
def retry(job_id: str) -> None:
    """Put the failed job JOB_ID back on its queue."""
    job = retry_failed_job(db.session, redis_conn.client, job_id, actor=CLI)
    click.echo(f"Requeued {job.id} on {job.queue}.")


@jobs_group.command("status")
@with_appcontext
def status() -> None:
    """What waits where: the outbox, the queues, running and failed jobs."""
    click.echo(format_status(jobs_status(db.session, redis_conn.client)))


def format_status(state: JobsStatus) -> str:
    outbox = state.outbox
    oldest = f", oldest from {outbox.oldest_unrelayed:%Y-%m-%d %H:%M:%S}" if (
        outbox.oldest_unrelayed) else ""
    lines = [
        "Outbox (the database)",
        f"  waiting for the relay: {outbox.unrelayed} row(s){oldest}",
        f"  jobs out in Redis:     {outbox.queued_jobs}"
        f" ({outbox.redriven_jobs} of them enqueued again after Redis lost them)",
        f"  jobs failed for good:  {outbox.failed_jobs}",
        f"  rows with errors:      {outbox.rows_with_errors}",
        f"  rows done, last 24 h:  {outbox.done_last_day}",
    ]
    if state.redis_error:
        lines.append(f"Redis: unavailable ({state.redis_error}); jobs wait in the outbox")
        return "\n".join(lines)
    lines += [f"Redis ({state.workers} worker(s))",
              f"  {'queue':<14}{'queued':>8}{'running':>9}{'retrying':>10}{'failed':>8}"]
    lines += [f"  {q.name:<14}{q.queued:>8}{q.running:>9}{q.scheduled:>10}{q.failed:>8}"
              for q in state.queues]
    if state.lost:
        lines.append(f"  lost by Redis: {state.lost} job(s); the relay enqueues them again")
    return "\n".join(lines)

"""Notification latency: from the commit of a report to its email at an SMTP sink.

Runs as deployed: the outbox relay and RQ workers are `python -m feedbackgis.cli jobs ...`
processes on a fresh bench database, a redis-server of the bench's own and an SMTP sink on
loopback; reports are submitted through submit_report in this process.

Targets (from the issue): with one worker and the production relay poll (1 s), p95 of
commit-to-email at most 2 s; exactly one email per report; no failed jobs. Also shown: the
same latency with a 0.1 s poll (the relay's share), and the sustained rate of a burst with
one and with two workers. --lookups sets the sizes: a twentieth of it reports per latency
run, an eighth of it per burst (100 and 250 by default).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from bench.database import bench_database_url, fresh_bench_database
from bench.job_services import ArrivalSink, JobProcesses
from bench.notification_runs import (
    JOBS_PER_REPORT,
    BurstRun,
    Correctness,
    LatencyRun,
    Rig,
    burst_run,
    check_correctness,
    latency_run,
    seed_catalog,
    warm_up,
)
from bench.registry import MISSED, OK, BenchOptions, Table, benchmark
from feedbackgis import create_app
from feedbackgis.extensions import db

# The tests' loopback redis-server: tests/ and bench/ are both development tools.
from tests.local_servers import RedisServer

LATENCY_P95_S = 2.0
PRODUCTION_POLL = "1"  # config.settings' default RELAY_POLL_INTERVAL
FAST_POLL = "0.1"
REPORTS_PER_SECOND = 2.0  # the latency runs' pace: well below what one worker can do
WARM_UP_REPORTS = 5
SECRET_KEY = "bench-secret-key"  # noqa: S105 - a throwaway database's key
REPO = Path(__file__).resolve().parents[1]


@benchmark("notification_latency")
def notification_latency(options: BenchOptions) -> Table:
    latency_reports = max(20, options.lookups // 20)
    burst_reports = max(50, options.lookups // 8)
    say("creating the bench database")
    fresh_bench_database().dispose()
    work = Path(tempfile.mkdtemp(prefix="feedbackgis-bench-jobs-"))
    with ExitStack() as stack:
        stack.push(lambda *exc: say(f"job process logs kept in {work}") if exc[0] else None)
        rig = start_rig(stack, work, options.seed)
        seed_catalog(rig.app)
        relay_env = {"RELAY_POLL_INTERVAL": PRODUCTION_POLL}
        rig.processes.start("worker-1", ["jobs", "worker"])
        rig.wait_for_workers(1)
        latency = {}
        for poll in (PRODUCTION_POLL, FAST_POLL):
            rig.processes.start("relay", ["jobs", "relay"], RELAY_POLL_INTERVAL=poll)
            warm_up(rig, WARM_UP_REPORTS)
            say(f"latency: {latency_reports} reports at {REPORTS_PER_SECOND:g}/s, "
                f"one worker, relay poll {poll} s")
            latency[poll] = latency_run(rig, latency_reports, REPORTS_PER_SECOND)
            rig.processes.stop("relay")
        bursts = []
        for workers in (1, 2):
            if workers == 2:
                rig.processes.start("worker-2", ["jobs", "worker"])
            say(f"burst: {burst_reports} reports, {workers} worker(s)")
            bursts.append(burst_run(rig, burst_reports, workers, relay_env))
        correctness = check_correctness(rig)
    shutil.rmtree(work, ignore_errors=True)  # kept (with the process logs) after an error
    return result_table(latency, bursts, correctness)


def start_rig(stack: ExitStack, work: Path, seed: int) -> Rig:
    """Redis, the sink, the app and the process set, each stopped when `stack` closes."""
    redis = RedisServer(work).start()
    stack.callback(redis.stop)
    sink = ArrivalSink().start()
    stack.callback(sink.stop)
    database_url = bench_database_url().render_as_string(hide_password=False)
    settings = {
        "FEEDBACKGIS_ENV": "development", "DATABASE_URL": database_url,
        "REDIS_URL": redis.url, "SECRET_KEY": SECRET_KEY, "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(sink.port), "SMTP_SECURITY": "none", "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
    }
    app = create_app({k: v for k, v in settings.items() if k != "FEEDBACKGIS_ENV"})
    stack.callback(db.engine.dispose)
    processes = JobProcesses(env={**os.environ, **settings, "PYTHONPATH": str(REPO)},
                             logs=work)
    stack.callback(processes.stop_all)
    return Rig(app=app, processes=processes, redis=redis.client(), sink=sink,
               rng=np.random.default_rng(seed))


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def result_table(latency: dict[str, LatencyRun], bursts: list[BurstRun],
                 correctness: Correctness) -> Table:
    table = Table("notification latency: report commit -> email at the SMTP sink")
    for poll, run in latency.items():
        p50, p95, p99 = np.percentile(run.seconds, (50, 95, 99))
        label = f"1 worker, poll {poll} s"
        table.add(f"{label}: p50", f"{p50:.2f} s")
        if poll == PRODUCTION_POLL:
            table.at_most(f"{label}: p95", float(p95), LATENCY_P95_S, " s")
        else:
            table.add(f"{label}: p95", f"{p95:.2f} s")
        table.add(f"{label}: p99", f"{p99:.2f} s")
        table.add(f"{label}: max", f"{max(run.seconds):.2f} s")
    for burst in bursts:
        label = f"burst of {burst.emails:,}, {burst.workers} worker(s)"
        table.add(f"{label}: emails/s", f"{burst.emails_per_second:.1f}")
        table.add(f"{label}: jobs/s", f"{burst.jobs_per_second:.1f}")
    one, two = bursts
    offered = REPORTS_PER_SECOND * JOBS_PER_REPORT
    table.add("latency runs' load: jobs/s offered / 1 worker's burst jobs/s",
              f"{offered / one.jobs_per_second:.0%}")
    ratio = two.emails_per_second / one.emails_per_second
    table.add("emails/s, 2 workers / 1 worker", f"{ratio:.2f}x")
    add_zero_row(table, "reports without their email", correctness.missing)
    add_zero_row(table, "duplicate emails", correctness.duplicates)
    add_zero_row(table, "other emails (not a report's work order)", correctness.strays)
    add_zero_row(table, "failed or retrying jobs", correctness.failed_jobs)
    add_zero_row(table, "notifications not marked sent", correctness.failed_notifications)
    runs = len(next(iter(latency.values())).seconds)
    table.notes += [
        f"latency runs: {runs} reports each at {REPORTS_PER_SECOND:g}/s after "
        f"{WARM_UP_REPORTS} warm-up reports; poll {PRODUCTION_POLL} s is the production "
        f"default, {FAST_POLL} s shows the relay's share",
        f"bursts: outbox rows committed with the relay stopped, then one relay (poll "
        f"{PRODUCTION_POLL} s) enqueues them; emails/s from first to last arrival, jobs/s "
        f"from RQ's start and end times; {JOBS_PER_REPORT} jobs per report",
        f"{correctness.reports:,} reports, {correctness.emails:,} emails in all; "
        f"{os.cpu_count()} CPU(s) shared by PostgreSQL, Redis, relay, workers and the sink",
    ]
    return table


def add_zero_row(table: Table, metric: str, value: int) -> None:
    table.add(metric, f"{value:,}", "0", OK if value == 0 else MISSED)

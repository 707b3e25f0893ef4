"""Outbox re-drive: how fast the relay's reconciliation puts back a backlog that Redis lost.

The rig of notification_latency (a fresh bench database, a redis-server of the bench's own,
an SMTP sink, relay and workers as `python -m feedbackgis.cli jobs ...` processes). One run:

1. Backlog: N reports (--lookups // 2, 1,000 by default), each with a reporter address, so
   each makes two jobs and two emails (the party's work order, the reporter's receipt). They
   are committed with no relay running; relay_batch then relays them in this process, timed:
   the baseline. One worker sends the first tenth of the jobs and stops; those jobs stay
   `queued` in outbox_job (no reconciliation ran), so they are re-driven too, and must send
   nothing again.
2. FLUSHALL. (a) reconcile_jobs() in this process, in a loop until it re-drives nothing;
   (b) three times, with the relay process running at the production reconcile interval:
   FLUSHALL (right after one of its passes, the worst case, then at random points of its
   interval) and the time until the queue holds every lost job again.
3. Two workers: the time until every report has its two emails at the sink (per report and
   recipient: no duplicates, none missing) and until no outbox row is left not done.

Targets (from the issue): re-drive via the running relay within OUTBOX_RECONCILE_INTERVAL
+ 5 s; no duplicate, no missing email; no outbox row left not done.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from bench.database import fresh_bench_database
from bench.notification_latency import add_zero_row, say, start_rig
from bench.notification_runs import JOBS_PER_REPORT, PARTY_EMAIL, Rig, parse, seed_catalog
from bench.registry import MISSED, OK, BenchOptions, Table, benchmark
from config import load_config
from feedbackgis.extensions import db
from feedbackgis.jobs.monitoring import jobs_status
from feedbackgis.jobs.queues import NOTIFICATIONS, get_queue
from feedbackgis.jobs.reconcile import reconcile_jobs
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.models import (
    DeliveryStatus,
    Notification,
    OutboxJob,
    OutboxJobState,
    OutboxMessage,
)

PRODUCTION_POLL = "1"  # config.settings' default RELAY_POLL_INTERVAL
PRODUCTION_RECONCILE = 5.0  # config.settings' default OUTBOX_RECONCILE_INTERVAL
REDRIVE_SLACK_S = 5.0  # the target: the interval plus this, for the whole backlog
PRESENT_SHARE = 0.10  # of the jobs, sent by one worker before Redis is flushed
RELAY_TRIALS = 3  # FLUSHALLs with the relay running: the worst phase, then random ones
DRAIN_WORKERS = 2
RECONCILE_LIMIT = 2000  # reconcile_jobs' default limit, which run_relay uses
DB_POLL = 0.2  # how often the bench counts outbox rows not done (a query each time)
REPORTER_DOMAIN = "asukas.example"


@dataclass(frozen=True)
class Passes:
    """Calls of relay_batch or reconcile_jobs in this process, until one had nothing to do."""

    seconds: list[float]  # of the calls that did something
    idle_seconds: float  # the last call, which found nothing to relay or re-drive
    jobs: int  # enqueued by the calls

    @property
    def total(self) -> float:
        return sum(self.seconds)

    def ms_per_1000_jobs(self) -> float:
        return self.total * 1000 / self.jobs * 1000 if self.jobs else float("nan")


@dataclass
class Deliveries:
    """The emails at the sink, by (report, recipient): each report's party work order and
    receipt. Parsed as they arrive, so the wait for the last one stays cheap."""

    reporter_of: dict[int, str]  # report id -> the address its reporter left
    parsed: int = 0
    by_key: Counter[tuple[int, str]] = field(default_factory=Counter)
    message_ids: Counter[str] = field(default_factory=Counter)
    strays: int = 0  # emails that are no report's work order or receipt

    def expected(self) -> set[tuple[int, str]]:
        return {key for report_id, reporter in self.reporter_of.items()
                for key in ((report_id, PARTY_EMAIL), (report_id, reporter))}

    def update(self, rig: Rig) -> None:
        for arrival in rig.sink.since(self.parsed):
            message = parse(arrival)
            self.parsed += 1
            self.message_ids[message.message_id] += 1
            key = (message.report_id, message.to)
            if message.report_id in self.reporter_of and message.to in (
                    PARTY_EMAIL, self.reporter_of[message.report_id]):
                self.by_key[key] += 1
            else:
                self.strays += 1

    @property
    def complete(self) -> int:
        return len(self.by_key)

    @property
    def duplicates(self) -> int:
        # Beyond one per report and recipient, or a Message-ID seen before: either is a
        # notification told twice.
        return max(sum(self.by_key.values()) - len(self.by_key),
                   self.parsed - len(self.message_ids))

    def missing(self) -> int:
        return len(self.expected() - set(self.by_key))


@dataclass(frozen=True)
class Drain:
    workers: int
    emails: int  # sent during the drain
    to_all_emails: float  # worker start -> every report's two emails at the sink
    to_all_done: float  # worker start -> no outbox row with done_at IS NULL
    email_seconds: float  # first to last arrival of the drain

    @property
    def emails_per_second(self) -> float:
        return (self.emails - 1) / self.email_seconds if self.email_seconds else float("nan")


@dataclass(frozen=True)
class Outcome:
    reports: int
    jobs: int
    submit_seconds: float
    first_relaying: Passes
    present_emails: int  # sent before the flush
    lost_seen: int  # `jobs status`'s count of lost jobs just after the flush
    in_process: Passes
    # FLUSHALL -> the queue full again, by seconds from the relay's last pass to the flush
    relay_seconds: dict[float, float]
    drain: Drain
    deliveries: Deliveries
    rows_not_done: int
    failed_jobs: int  # outbox_job failed, or in RQ's failed/scheduled registries
    unsent: int  # notification rows not marked sent
    enqueues: int  # sum of outbox_job.enqueue_count


@benchmark("outbox_redrive")
def outbox_redrive(options: BenchOptions) -> Table:
    reports = max(20, options.lookups // 2)
    say("creating the bench database")
    fresh_bench_database().dispose()
    work = Path(tempfile.mkdtemp(prefix="feedbackgis-bench-redrive-"))
    with ExitStack() as stack:
        stack.push(lambda *exc: say(f"job process logs kept in {work}") if exc[0] else None)
        rig = start_rig(stack, work, options.seed)
        seed_catalog(rig.app)
        outcome = run(rig, reports)
    shutil.rmtree(work, ignore_errors=True)  # kept (with the process logs) after an error
    return result_table(outcome)


def run(rig: Rig, reports: int) -> Outcome:
    jobs = reports * JOBS_PER_REPORT
    relay_env = {"RELAY_POLL_INTERVAL": PRODUCTION_POLL,
                 "OUTBOX_RECONCILE_INTERVAL": f"{PRODUCTION_RECONCILE:g}"}
    # The settings the job processes read (rig.app has only those start_rig gave it).
    config = load_config("development", environ={**rig.processes.env, **relay_env})
    say(f"backlog: {reports:,} reports ({jobs:,} jobs), no relay and no worker running")
    started = time.perf_counter()
    deliveries = Deliveries(reporter_of={})
    for number in range(reports):
        address = f"asukas-{number}@{REPORTER_DOMAIN}"
        report_id, _ = rig.submit(reporter_email=address)
        deliveries.reporter_of[report_id] = address
    submit_seconds = time.perf_counter() - started
    say("first relaying: relay_batch in this process")
    first = until_idle(rig, lambda session: relay_batch(session, rig.redis, config))
    check_queue_holds(rig, jobs)

    present = max(1, round(jobs * PRESENT_SHARE))
    say(f"one worker sends {present:,} of the jobs' emails, then stops")
    rig.processes.start("worker-1", ["jobs", "worker"])
    rig.wait_for_emails(0, present, timeout=60 + present)
    rig.processes.stop("worker-1")
    present_emails = rig.sink.count()

    say("FLUSHALL; reconcile_jobs in this process until it re-drives nothing")
    rig.redis.flushall()
    with rig.app.app_context():
        lost_seen = jobs_status(db.session, rig.redis).lost
    in_process = until_idle(
        rig, lambda session: reconcile_jobs(session, rig.redis, config).redriven)
    check_queue_holds(rig, jobs)

    rig.processes.start("relay", ["jobs", "relay"], **relay_env)
    relay_seconds = {}
    for trial in range(RELAY_TRIALS):
        offset = 0.0 if trial == 0 else float(rig.rng.uniform(0, PRODUCTION_RECONCILE))
        say(f"FLUSHALL {offset:.1f} s after a pass of the relay's reconciliation")
        relay_seconds[offset] = redrive_via_relay(rig, jobs, offset)

    say(f"drain: {DRAIN_WORKERS} workers")
    drain = drain_backlog(rig, deliveries, DRAIN_WORKERS, since=present_emails)
    rig.wait_for_idle_queue()
    time.sleep(0.5)  # a duplicate sent by a straggler would arrive about now
    deliveries.update(rig)
    queue = get_queue(NOTIFICATIONS, rig.redis)
    with rig.app.app_context():
        session = db.session
        rows_not_done = count_not_done()
        failed = session.scalar(select(func.count()).select_from(OutboxJob)
                                .where(OutboxJob.state == OutboxJobState.FAILED))
        unsent = session.scalar(select(func.count()).select_from(Notification)
                                .where(Notification.status != DeliveryStatus.SENT))
        enqueues = session.scalar(select(func.sum(OutboxJob.enqueue_count)))
        session.rollback()
    return Outcome(
        reports=reports, jobs=jobs, submit_seconds=submit_seconds, first_relaying=first,
        present_emails=present_emails, lost_seen=lost_seen, in_process=in_process,
        relay_seconds=relay_seconds, drain=drain, deliveries=deliveries,
        rows_not_done=rows_not_done,
        failed_jobs=failed + queue.failed_job_registry.count + queue.scheduled_job_registry.count,
        unsent=unsent, enqueues=int(enqueues or 0),
    )


def until_idle(rig: Rig, step: Callable[..., int]) -> Passes:
    """Call `step(session)` (which returns how many it enqueued) until it enqueues nothing."""
    seconds: list[float] = []
    jobs = 0
    with rig.app.app_context():
        while True:
            started = time.perf_counter()
            moved = step(db.session)
            elapsed = time.perf_counter() - started
            if not moved:
                return Passes(seconds=seconds, idle_seconds=elapsed, jobs=jobs)
            seconds.append(elapsed)
            jobs += moved  # relay_batch counts rows: one job each here (one route a topic)


def queue_length(rig: Rig) -> int:
    return rig.redis.llen(get_queue(NOTIFICATIONS, rig.redis).key)


def check_queue_holds(rig: Rig, jobs: int) -> None:
    if (waiting := queue_length(rig)) != jobs:
        raise RuntimeError(f"the notification queue holds {waiting} jobs, not {jobs}")


def hget_calls(rig: Rig) -> int:
    # Only reconciliation sends HGET while no worker runs: one per queued job and pass.
    return int(rig.redis.info("commandstats").get("cmdstat_hget", {}).get("calls", 0))


def redrive_via_relay(rig: Rig, jobs: int, offset: float) -> float:
    """FLUSHALL `offset` seconds after the relay's next reconcile pass; the seconds until
    the queue holds all `jobs` again."""
    before = hget_calls(rig)
    rig.wait_until(lambda: hget_calls(rig) - before >= jobs, PRODUCTION_RECONCILE * 2 + 30,
                   "a reconcile pass of the relay")
    time.sleep(offset)
    rig.redis.flushall()
    flushed = time.monotonic()
    rig.wait_until(lambda: queue_length(rig) >= jobs, PRODUCTION_RECONCILE * 4 + jobs / 100,
                   f"{jobs:,} re-driven jobs in the queue")
    seconds = time.monotonic() - flushed
    check_queue_holds(rig, jobs)
    return seconds


def count_not_done() -> int:
    count = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.done_at.is_(None)))
    db.session.rollback()
    return count


def drain_backlog(rig: Rig, deliveries: Deliveries, workers: int, since: int) -> Drain:
    started = time.monotonic()
    for number in range(1, workers + 1):
        rig.processes.start(f"worker-{number}", ["jobs", "worker"])
    expected = len(deliveries.expected())

    def all_emails() -> bool:
        deliveries.update(rig)
        return deliveries.complete >= expected

    rig.wait_until(all_emails, 60 + expected / 5, f"{expected:,} emails at the sink")
    to_all_emails = time.monotonic() - started
    with rig.app.app_context():
        rig.wait_until(lambda: count_not_done() == 0, PRODUCTION_RECONCILE * 4 + 30,
                       "every outbox row done", poll=DB_POLL)
    to_all_done = time.monotonic() - started
    arrivals = [a.at for a in rig.sink.since(since)]
    return Drain(workers=workers, emails=len(arrivals), to_all_emails=to_all_emails,
                 to_all_done=to_all_done,
                 email_seconds=max(arrivals) - min(arrivals) if arrivals else 0.0)


def result_table(o: Outcome) -> Table:
    table = Table("outbox re-drive: a backlog lost by Redis (FLUSHALL) put back by "
                  "reconciliation")
    first, again = o.first_relaying, o.in_process
    table.add(f"first relaying of {o.jobs:,} jobs (relay_batch x{len(first.seconds)})",
              f"{first.total:.2f} s")
    table.add("  per 1,000 jobs", f"{first.ms_per_1000_jobs():,.0f} ms")
    table.add("lost jobs seen by `jobs status` after FLUSHALL", f"{o.lost_seen:,}",
              f"= {o.jobs:,}", OK if o.lost_seen == o.jobs else MISSED)
    table.add(f"re-drive in process (reconcile_jobs x{len(again.seconds)})",
              f"{again.total:.2f} s")
    table.add("  per 1,000 jobs", f"{again.ms_per_1000_jobs():,.0f} ms")
    table.add("  / first relaying", f"{again.total / first.total:.2f}x")
    table.add(f"reconcile pass, nothing to change ({min(o.jobs, RECONCILE_LIMIT):,} jobs)",
              f"{again.idle_seconds * 1000:,.0f} ms")
    limit = PRODUCTION_RECONCILE + REDRIVE_SLACK_S
    for offset, seconds in o.relay_seconds.items():
        when = "right after a pass (worst)" if offset == 0 else f"{offset:.1f} s after a pass"
        table.at_most(f"re-drive via the relay, FLUSHALL {when}", seconds, limit, " s")
    worst = max(o.relay_seconds.values())
    table.add("  slowest / first relaying", f"{worst / first.total:.1f}x")
    d = o.drain
    table.add(f"drain, {d.workers} workers: start -> every report's 2 emails",
              f"{d.to_all_emails:.1f} s")
    table.add(f"drain, {d.workers} workers: start -> no outbox row not done",
              f"{d.to_all_done:.1f} s")
    table.add(f"drain, {d.workers} workers: emails/s", f"{d.emails_per_second:.1f}")
    add_zero_row(table, "duplicate emails (per report and recipient, or Message-ID)",
                 o.deliveries.duplicates)
    add_zero_row(table, "missing emails (of 2 per report)", o.deliveries.missing())
    add_zero_row(table, "other emails", o.deliveries.strays)
    add_zero_row(table, "outbox rows not done", o.rows_not_done)
    add_zero_row(table, "failed or retrying jobs", o.failed_jobs)
    add_zero_row(table, "notifications not marked sent", o.unsent)
    table.notes += [
        f"{o.reports:,} reports, each with a reporter address: {o.jobs:,} jobs, "
        f"{o.jobs:,} emails; submitted in {o.submit_seconds:.0f} s with no relay running, "
        f"then relayed by relay_batch (200 rows a call) in this process",
        f"before the flush one worker sent {o.present_emails:,} emails; their jobs were "
        "still queued in outbox_job, so they were re-driven and had to send nothing again",
        f"via the relay: a `jobs relay` process (poll {PRODUCTION_POLL} s, reconcile every "
        f"{PRODUCTION_RECONCILE:g} s); FLUSHALL right after one of its passes (the worst "
        f"case), then at random points; time until the queue held all {o.jobs:,} jobs; "
        f"target interval + {REDRIVE_SLACK_S:g} s; a pass takes up to {RECONCILE_LIMIT:,} "
        f"jobs, so a larger backlog needs an interval more per {RECONCILE_LIMIT:,}",
        f"{o.enqueues:,} enqueues in all ({o.enqueues / o.jobs:.0f} per job: the first, "
        f"1 in process, {len(o.relay_seconds)} by the relay); drain timed from starting "
        "the worker processes",
    ]
    return table

"""The measured runs of the notification benchmark: reports submitted through submit_report
in this process, emails taken at the SMTP sink, jobs read back from RQ's registries.

Every report lands in the one zone of one party with one address and makes two jobs: the
party's work order ("(#<report id>)" at the end of its subject) and the reporter's receipt.
Reports are anonymous unless submitted with a reporter address, so the receipt job finds
nobody to tell and each report causes exactly one email.
"""
from __future__ import annotations

import email.policy
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser

import numpy as np
from flask import Flask
from redis import Redis
from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer
from shapely.geometry import box
from sqlalchemy import func, select

from bench.job_services import Arrival, ArrivalSink, JobProcesses
from feedbackgis.extensions import db
from feedbackgis.geo.convert import as_multipolygon, to_db
from feedbackgis.jobs.queues import NOTIFICATIONS, get_queue
from feedbackgis.models import DeliveryStatus, Notification, PartyKind, PublishPolicy, Report, Zone
from feedbackgis.services.catalog.parties_and_categories import (
    CategoryFields,
    add_category,
    add_party,
)
from feedbackgis.services.reports.submission import Contact, NewReport, submit_report

PARTY, PARTY_EMAIL = "Valaistus Oy", "valot@urakoitsija.example"
CATEGORY = "streetlight"
ZONE = (24.80, 60.10, 25.10, 60.30)  # lon/lat box around central Helsinki
JOBS_PER_REPORT = 2  # the party's work order and the (silent) reporter confirmation
SUBJECT_REPORT_ID = re.compile(r"\(#(\d+)\)\s*$")
POLL = 0.02  # how often the bench looks whether what it waits for has happened


def seed_catalog(app: Flask) -> None:
    """One contractor with one address, its zone, and a category published at once."""
    with app.app_context():
        session = db.session
        party = add_party(session, PARTY, PartyKind.CONTRACTOR, [PARTY_EMAIL])
        add_category(session, CATEGORY, CategoryFields(
            "Katuvalo", "Gatubelysning", "Streetlight", publish_policy=PublishPolicy.IMMEDIATE))
        session.add(Zone(party_id=party.id, name="Keskusta", source="bench",
                         geom=to_db(as_multipolygon(box(*ZONE))), all_categories=True))
        session.commit()


@dataclass
class Rig:
    """What the runs act on: the app (for sessions), the job processes, Redis, the sink."""

    app: Flask
    processes: JobProcesses
    redis: Redis
    sink: ArrivalSink
    rng: np.random.Generator

    def submit(self, reporter_email: str | None = None) -> tuple[int, float]:
        """Submit one report as the API would; its id and when its commit returned. With
        `reporter_email` the reporter left that address, so the receipt job sends it one."""
        lon = self.rng.uniform(ZONE[0], ZONE[2])
        lat = self.rng.uniform(ZONE[1], ZONE[3])
        contact = Contact(email=reporter_email) if reporter_email else None
        new = NewReport(category=CATEGORY, description="Katuvalo ei pala", lon=lon, lat=lat,
                        contact=contact)
        with self.app.app_context():
            submitted = submit_report(db.session, new, secret_key=self.app.config["SECRET_KEY"])
            committed_at = time.monotonic()  # submit_report's last step is the commit
            return submitted.report.id, committed_at

    def wait_until(self, done: Callable[[], bool], timeout: float, what: str,
                   poll: float = POLL) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            self.processes.check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}; "
                                   f"logs in {self.processes.logs}")
            time.sleep(poll)

    def wait_for_emails(self, since: int, count: int, timeout: float) -> None:
        self.wait_until(lambda: self.sink.count() - since >= count, timeout,
                        f"{count} email(s) at the sink")

    def wait_for_workers(self, count: int) -> None:
        self.wait_until(lambda: Worker.count(connection=self.redis) == count, 30,
                        f"{count} registered worker(s)")

    def wait_for_idle_queue(self) -> None:
        queue = get_queue(NOTIFICATIONS, self.redis)
        self.wait_until(lambda: queue.count == 0 and queue.started_job_registry.count == 0,
                        60, "the notification queue to drain")


@dataclass(frozen=True)
class Email:
    at: float
    report_id: int | None  # from "(#<report id>)" at the end of the subject
    to: str
    message_id: str = ""  # the same on every attempt at one notification


def parse(arrival: Arrival) -> Email:
    headers = BytesHeaderParser(policy=email.policy.default).parsebytes(arrival.content)
    match = SUBJECT_REPORT_ID.search(str(headers["Subject"] or ""))
    return Email(arrival.at, int(match.group(1)) if match else None, str(headers["To"]),
                 str(headers["Message-ID"] or ""))


def warm_up(rig: Rig, count: int) -> None:
    """Reports whose emails prove the relay and the workers run (not measured)."""
    since = rig.sink.count()
    for _ in range(count):
        rig.submit()
    rig.wait_for_emails(since, count, timeout=60)


@dataclass(frozen=True)
class LatencyRun:
    seconds: list[float]  # commit to arrival at the sink, one per report


def latency_run(rig: Rig, count: int, per_second: float) -> LatencyRun:
    """Submit `count` reports at an even pace; each one's commit-to-email time."""
    since = rig.sink.count()
    committed: dict[int, float] = {}
    started = time.monotonic()
    for number in range(count):
        time.sleep(max(0.0, started + number / per_second - time.monotonic()))
        report_id, at = rig.submit()
        committed[report_id] = at
    rig.wait_for_emails(since, count, timeout=60 + count / 2)
    arrived: dict[int, float] = {}
    for message in map(parse, rig.sink.since(since)):
        if message.report_id in committed:
            arrived.setdefault(message.report_id, message.at)
    # A report whose email is missing counts in check_correctness, not here.
    return LatencyRun([arrived[r] - committed[r] for r in committed if r in arrived])


@dataclass(frozen=True)
class BurstRun:
    workers: int
    emails: int
    email_seconds: float  # first to last arrival
    jobs: int
    job_seconds: float  # first job's start to last job's end, by RQ's timestamps

    @property
    def emails_per_second(self) -> float:
        return (self.emails - 1) / self.email_seconds

    @property
    def jobs_per_second(self) -> float:
        return self.jobs / self.job_seconds


def burst_run(rig: Rig, count: int, workers: int, relay_env: dict[str, str]) -> BurstRun:
    """With the relay stopped, commit `count` reports (their outbox rows wait); then start
    the relay, which enqueues them all at once, and time the workers working them off."""
    if "relay" in rig.processes.running:
        rig.processes.stop("relay")
    rig.wait_for_workers(workers)
    rig.wait_for_idle_queue()
    finished = get_queue(NOTIFICATIONS, rig.redis).finished_job_registry
    finished_before = set(finished.get_job_ids())
    for _ in range(count):
        rig.submit()
    since = rig.sink.count()
    rig.processes.start("relay", ["jobs", "relay"], **relay_env)
    rig.wait_for_emails(since, count, timeout=60 + count / 2)
    rig.wait_for_idle_queue()
    arrivals = [a.at for a in rig.sink.since(since)]
    jobs = [job for job in Job.fetch_many(
        [i for i in finished.get_job_ids() if i not in finished_before],
        connection=rig.redis, serializer=JSONSerializer) if job is not None]
    return BurstRun(workers=workers, emails=len(arrivals),
                    email_seconds=max(arrivals) - min(arrivals), jobs=len(jobs),
                    job_seconds=_span(jobs))


def _span(jobs: list[Job]) -> float:
    starts: list[datetime] = [j.started_at for j in jobs if j.started_at is not None]
    ends: list[datetime] = [j.ended_at for j in jobs if j.ended_at is not None]
    return (max(ends) - min(starts)).total_seconds() if starts and ends else float("nan")


@dataclass(frozen=True)
class Correctness:
    reports: int
    emails: int
    duplicates: int  # emails beyond the first for a report
    missing: int  # reports without an email
    strays: int  # emails that are not a report's work order to the party
    failed_jobs: int  # in the failed list, or waiting for a retry
    failed_notifications: int  # notification rows not marked sent


def check_correctness(rig: Rig) -> Correctness:
    """Once the queues are drained: one email per report, nothing failed or retrying."""
    rig.wait_for_idle_queue()
    time.sleep(0.5)  # a duplicate sent by a straggler would arrive about now
    emails = [parse(a) for a in rig.sink.since(0)]
    per_report = Counter(e.report_id for e in emails if e.to == PARTY_EMAIL and e.report_id)
    queue = get_queue(NOTIFICATIONS, rig.redis)
    with rig.app.app_context():
        session = db.session
        reports = session.scalar(select(func.count()).select_from(Report))
        unsent = session.scalar(select(func.count()).select_from(Notification)
                                .where(Notification.status != DeliveryStatus.SENT))
    return Correctness(
        reports=reports, emails=len(emails),
        duplicates=sum(n - 1 for n in per_report.values()),
        missing=reports - len(per_report),
        strays=len(emails) - sum(per_report.values()),
        failed_jobs=queue.failed_job_registry.count + queue.scheduled_job_registry.count,
        failed_notifications=unsent,
    )

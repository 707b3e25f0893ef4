"""Reconciling the outbox's record of jobs with what Redis says of them.

For every job still `queued` in the database, Redis is asked for its status in one round
trip: finished -> done; failed for good (or stopped, canceled) -> failed, with the reason;
unknown to Redis -> lost (a flush, a restart without persistence, a failover, an eviction),
so it is enqueued again under the same id. An outbox row is done once none of its jobs is
still queued. Enqueuing a lost job that had in fact run is harmless: the jobs are idempotent
(deliver_once), so nobody is told twice.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from sqlalchemy import exists, select, tuple_, update
from sqlalchemy.orm import Session

from feedbackgis.jobs.failed import last_error_line
from feedbackgis.jobs.queues import enqueue
from feedbackgis.models import OutboxJob, OutboxJobState, OutboxMessage

log = logging.getLogger(__name__)
FINAL_FAILURES = {JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


BATCH = 2000
# A pass over a large backlog (after a flush) goes on in batches, up to this many per call.
MAX_BATCHES = 25


@dataclass(frozen=True)
class Reconciled:
    checked: int = 0
    done: int = 0
    failed: int = 0
    redriven: int = 0  # lost by Redis and enqueued again
    # Where the batch ended, in the order of the pass: the next batch starts after it.
    last: tuple[datetime, int] | None = None

    def __add__(self, other: Reconciled) -> Reconciled:
        return Reconciled(self.checked + other.checked, self.done + other.done,
                          self.failed + other.failed, self.redriven + other.redriven,
                          other.last)


def reconcile_all(session: Session, redis: Redis, config: Mapping[str, Any]) -> Reconciled:
    """Batches of reconcile_jobs, each after the last, until one comes back short: a
    backlog of any size (up to MAX_BATCHES * BATCH) is looked at in one pass, not a batch
    per OUTBOX_RECONCILE_INTERVAL."""
    total = Reconciled()
    started = datetime.now(UTC)  # jobs re-driven by this pass are not looked at again
    for _ in range(MAX_BATCHES):
        batch = reconcile_jobs(session, redis, config, limit=BATCH, after=total.last,
                               before=started)
        total += batch
        if batch.checked < BATCH:
            break
    return total


def reconcile_jobs(session: Session, redis: Redis, config: Mapping[str, Any],
                   limit: int = BATCH, after: tuple[datetime, int] | None = None,
                   before: datetime | None = None) -> Reconciled:
    """Up to `limit` queued jobs, oldest enqueued first (after `after`, and enqueued before
    `before`, when given); commits. Raises RedisError (nothing changed) when Redis is
    unreachable."""
    query = select(OutboxJob).where(OutboxJob.state == OutboxJobState.QUEUED)
    if before is not None:
        query = query.where(OutboxJob.enqueued_at < before)
    if after is not None:
        query = query.where(tuple_(OutboxJob.enqueued_at, OutboxJob.id) > tuple_(*after))
    jobs = session.scalars(
        query.order_by(OutboxJob.enqueued_at, OutboxJob.id).limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not jobs:
        session.rollback()
        return Reconciled()
    last = (jobs[-1].enqueued_at, jobs[-1].id)  # before a re-drive moves it to the end
    statuses = _statuses(redis, [job.job_id for job in jobs])
    now = datetime.now(UTC)
    done = failed = 0
    lost: list[OutboxJob] = []
    for job, status in zip(jobs, statuses, strict=True):
        if status is None:
            lost.append(job)
        elif status == JobStatus.FINISHED:
            job.state, job.finished_at = OutboxJobState.DONE, now
            done += 1
        elif status in FINAL_FAILURES:
            job.state, job.finished_at = OutboxJobState.FAILED, now
            job.last_error = failure_reason(redis, job.job_id, status)
            failed += 1
    if lost:
        enqueue(lost, redis, config)
        for job in lost:
            job.enqueued_at = now
            job.enqueue_count += 1
        log.warning("Redis had lost %d queued job(s); enqueued them again: %s", len(lost),
                    ", ".join(job.job_id for job in lost[:10]) + (" ..." if len(lost) > 10 else ""))
    mark_rows_done(session, {job.outbox_id for job in jobs}, now)
    session.commit()
    return Reconciled(checked=len(jobs), done=done, failed=failed, redriven=len(lost),
                      last=last)


def _statuses(redis: Redis, job_ids: list[str]) -> list[JobStatus | None]:
    with redis.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hget(Job.key_for(job_id), "status")
        raw = pipe.execute()
    return [JobStatus(value.decode()) if value else None for value in raw]


def failure_reason(redis: Redis, job_id: str, status: JobStatus) -> str:
    try:
        job = Job.fetch(job_id, connection=redis, serializer=JSONSerializer)
    except NoSuchJobError:
        return f"Job {status.value}"
    return last_error_line(job) or f"Job {status.value}"


def mark_rows_done(session: Session, outbox_ids: set[int], now: datetime) -> None:
    """Rows none of whose jobs is still queued are done (in the caller's transaction)."""
    if not outbox_ids:
        return
    session.flush()  # the jobs' new states must be in the database for the NOT EXISTS
    still_queued = exists().where(OutboxJob.outbox_id == OutboxMessage.id,
                                  OutboxJob.state == OutboxJobState.QUEUED)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(outbox_ids), OutboxMessage.done_at.is_(None), ~still_queued)
        .values(done_at=now),
        execution_options={"synchronize_session": False},
    )

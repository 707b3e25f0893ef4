"""What waits where: the outbox in the database, and the queues, workers and registries in
Redis (`feedbackgis jobs status`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from redis import Redis
from redis.exceptions import RedisError
from rq import Worker
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.jobs.queues import ALL_QUEUES, get_queue
from feedbackgis.models import OutboxJob, OutboxJobState, OutboxMessage


@dataclass(frozen=True)
class OutboxState:
    unrelayed: int  # rows whose jobs are not yet in Redis
    oldest_unrelayed: datetime | None
    queued_jobs: int  # jobs handed to Redis, not yet finished (by the database's record)
    redriven_jobs: int  # of those, how many were enqueued again after Redis lost them
    failed_jobs: int  # jobs that used up their retries
    rows_with_errors: int  # rows that set nothing going (an unknown topic)
    done_last_day: int


@dataclass(frozen=True)
class QueueState:
    name: str
    queued: int
    running: int
    scheduled: int  # waiting for a retry's back-off
    failed: int


@dataclass(frozen=True)
class JobsStatus:
    outbox: OutboxState
    queues: list[QueueState] = field(default_factory=list)
    workers: int = 0
    # Jobs the database holds queued that Redis does not know: the relay enqueues them again.
    lost: int = 0
    redis_error: str | None = None  # set when Redis could not be asked


def outbox_state(session: Session, now: datetime) -> OutboxState:
    unrelayed, oldest = session.execute(
        select(func.count(), func.min(OutboxMessage.created_at))
        .where(OutboxMessage.relayed_at.is_(None))
    ).one()
    by_state = dict(session.execute(
        select(OutboxJob.state, func.count()).group_by(OutboxJob.state)
        .where(OutboxJob.state != OutboxJobState.DONE)
    ).all())
    redriven = session.scalar(select(func.count()).where(
        OutboxJob.state == OutboxJobState.QUEUED, OutboxJob.enqueue_count > 1))
    with_errors = session.scalar(select(func.count()).where(
        OutboxMessage.last_error.is_not(None)))
    done = session.scalar(select(func.count()).where(
        OutboxMessage.done_at >= now - timedelta(days=1)))
    session.rollback()
    return OutboxState(
        unrelayed=unrelayed, oldest_unrelayed=oldest,
        queued_jobs=by_state.get(OutboxJobState.QUEUED, 0), redriven_jobs=redriven or 0,
        failed_jobs=by_state.get(OutboxJobState.FAILED, 0), rows_with_errors=with_errors or 0,
        done_last_day=done or 0,
    )


def queue_states(redis: Redis) -> list[QueueState]:
    states = []
    for name in ALL_QUEUES:
        queue = get_queue(name, redis)
        states.append(QueueState(
            name=name, queued=queue.count,
            running=StartedJobRegistry(queue=queue).count,
            scheduled=ScheduledJobRegistry(queue=queue).count,
            failed=FailedJobRegistry(queue=queue).count,
        ))
    return states


def lost_jobs(session: Session, redis: Redis, limit: int = 10_000) -> int:
    job_ids = session.scalars(
        select(OutboxJob.job_id).where(OutboxJob.state == OutboxJobState.QUEUED).limit(limit)
    ).all()
    session.rollback()
    with redis.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.exists(Job.key_for(job_id))
        return sum(1 for found in pipe.execute() if not found)


def jobs_status(session: Session, redis: Redis) -> JobsStatus:
    outbox = outbox_state(session, datetime.now(UTC))
    try:
        return JobsStatus(outbox=outbox, queues=queue_states(redis),
                          workers=Worker.count(connection=redis),
                          lost=lost_jobs(session, redis))
    except RedisError as exc:
        return JobsStatus(outbox=outbox, redis_error=type(exc).__name__)

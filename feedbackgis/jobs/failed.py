"""Jobs that used up their retries: listed for an admin, requeued on request."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from feedbackgis.errors import NotFound
from feedbackgis.jobs.queues import ALL_QUEUES, get_queue
from feedbackgis.models import OutboxJob, OutboxJobState, OutboxMessage


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    function: str
    arguments: dict[str, object]
    ended_at: datetime | None
    reason: str  # the last line of the exception: what an admin acts on


def last_error_line(job: Job) -> str | None:
    result = job.latest_result()
    lines = ((result.exc_string if result else None) or "").strip().splitlines()
    return lines[-1] if lines else None


def _failed_job(job: Job, queue: str) -> FailedJob:
    return FailedJob(job.id, queue, job.func_name, dict(job.kwargs), job.ended_at,
                     last_error_line(job) or "(no error recorded)")


def list_failed_jobs(connection: Redis) -> list[FailedJob]:
    failed: list[FailedJob] = []
    for name in ALL_QUEUES:
        registry = FailedJobRegistry(queue=get_queue(name, connection))
        jobs = Job.fetch_many(registry.get_job_ids(), connection=connection,
                              serializer=JSONSerializer)
        failed += [_failed_job(job, name) for job in jobs if job is not None]
    return sorted(failed, key=lambda job: job.ended_at or datetime.min)


def retry_failed_job(session: Session, connection: Redis, job_id: str) -> FailedJob:
    """Put a failed job back on its queue (its retries start over); commits. The outbox's
    record of the job is queued again, so reconciliation follows it to the end."""
    for name in ALL_QUEUES:
        registry = FailedJobRegistry(queue=get_queue(name, connection))
        if job_id in registry.get_job_ids():
            job = Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
            failed = _failed_job(job, name)
            _mark_queued_again(session, job_id)
            registry.requeue(job_id)
            session.commit()
            return failed
    try:
        Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
    except NoSuchJobError:
        raise NotFound(f"No job with id {job_id!r}.") from None
    raise NotFound(f"Job {job_id!r} is not in the failed list.")


def _mark_queued_again(session: Session, job_id: str) -> None:
    outbox_id = session.scalar(
        update(OutboxJob).where(OutboxJob.job_id == job_id)
        .values(state=OutboxJobState.QUEUED, finished_at=None, last_error=None)
        .returning(OutboxJob.outbox_id)
    )
    if outbox_id is not None:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id)
                        .values(done_at=None))

"""Jobs that used up their retries: listed for an admin, requeued on request.

Read from RQ's failed-job registries in Redis, of every queue Redis knows (RQ keeps the set
of queues it has enqueued to), so this module needs no queue names from the jobs layer and
serves the admin page and `feedbackgis jobs failed` / `jobs retry` alike. A retry is in the
audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from feedbackgis.errors import NotFound
from feedbackgis.models import OutboxJob, OutboxJobState, OutboxMessage
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change

NO_ERROR = "(no error recorded)"


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    function: str
    arguments: dict[str, object]
    ended_at: datetime | None
    reason: str  # the last line of the exception: what an admin acts on

    @property
    def function_name(self) -> str:
        return self.function.rsplit(".", 1)[-1]


def last_error_line(job: Job) -> str | None:
    result = job.latest_result()
    lines = ((result.exc_string if result else None) or "").strip().splitlines()
    return lines[-1] if lines else None


def _failed_job(job: Job, queue: str) -> FailedJob:
    return FailedJob(job.id, queue, job.func_name, dict(job.kwargs), job.ended_at,
                     last_error_line(job) or NO_ERROR)


def _registries(connection: Redis) -> list[tuple[str, FailedJobRegistry]]:
    queues = Queue.all(connection=connection, serializer=JSONSerializer)
    return [(queue.name, FailedJobRegistry(queue=queue))
            for queue in sorted(queues, key=lambda queue: queue.name)]


def list_failed_jobs(connection: Redis) -> list[FailedJob]:
    """Every failed job, the one that ended first first."""
    failed: list[FailedJob] = []
    for name, registry in _registries(connection):
        jobs = Job.fetch_many(registry.get_job_ids(), connection=connection,
                              serializer=JSONSerializer)
        failed += [_failed_job(job, name) for job in jobs if job is not None]
    return sorted(failed, key=lambda job: job.ended_at or datetime.min)


def retry_failed_job(session: Session, connection: Redis, job_id: str, *,
                     actor: ChangeActor = SYSTEM) -> FailedJob:
    """Put a failed job back on its queue (its retries start over); commits. The outbox's
    record of the job is queued again, so reconciliation follows it to the end."""
    for name, registry in _registries(connection):
        if job_id in registry.get_job_ids():
            job = Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
            failed = _failed_job(job, name)
            _mark_queued_again(session, job_id)
            record_change(session, actor, Entity.JOB, job_id, "retry",
                          {"state": "failed", "queue": name, "function": failed.function,
                           "reason": failed.reason}, {"state": "queued"})
            registry.requeue(job_id)
            session.commit()
            return failed
    try:
        Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
    except NoSuchJobError:
        raise NotFound(f"No job with id {job_id!r}.", field="job") from None
    raise NotFound(f"Job {job_id!r} is not in the failed list.", field="job")


def _mark_queued_again(session: Session, job_id: str) -> None:
    outbox_id = session.scalar(
        update(OutboxJob).where(OutboxJob.job_id == job_id)
        .values(state=OutboxJobState.QUEUED, finished_at=None, last_error=None)
        .returning(OutboxJob.outbox_id)
    )
    if outbox_id is not None:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id)
                        .values(done_at=None))

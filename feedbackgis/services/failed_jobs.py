"""Jobs that used up their retries: listed for an admin, requeued on request."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from feedbackgis.errors import NotFound
from feedbackgis.jobs.queues import ALL_QUEUES, get_queue


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    function: str
    arguments: dict[str, object]
    ended_at: datetime | None
    reason: str  # the last line of the exception: what an admin acts on


def _reason(job: Job) -> str:
    result = job.latest_result()
    info = ((result.exc_string if result else None) or "").strip().splitlines()
    return info[-1] if info else "(no error recorded)"


def list_failed_jobs(connection: Redis) -> list[FailedJob]:
    failed: list[FailedJob] = []
    for name in ALL_QUEUES:
        registry = FailedJobRegistry(queue=get_queue(name, connection))
        jobs = Job.fetch_many(registry.get_job_ids(), connection=connection,
                              serializer=JSONSerializer)
        failed += [
            FailedJob(job.id, name, job.func_name, dict(job.kwargs), job.ended_at, _reason(job))
            for job in jobs if job is not None
        ]
    return sorted(failed, key=lambda job: job.ended_at or datetime.min)


def retry_failed_job(connection: Redis, job_id: str) -> FailedJob:
    """Put a failed job back on its queue (its retries start over)."""
    for name in ALL_QUEUES:
        registry = FailedJobRegistry(queue=get_queue(name, connection))
        if job_id in registry.get_job_ids():
            job = Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
            failed = FailedJob(job.id, name, job.func_name, dict(job.kwargs), job.ended_at,
                               _reason(job))
            registry.requeue(job_id)
            return failed
    try:
        Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
    except NoSuchJobError:
        raise NotFound(f"No job with id {job_id!r}.") from None
    raise NotFound(f"Job {job_id!r} is not in the failed list.")

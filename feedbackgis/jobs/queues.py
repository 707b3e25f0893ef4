"""Queue names by concern, and the queues, retry policy and enqueuing every enqueuer uses."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redis import Redis
from rq import Queue, Retry
from rq.serializers import JSONSerializer

from feedbackgis.models import OutboxJob

NOTIFICATIONS = "notifications"
MEDIA = "media"
REPORTS = "reports"
MAINTENANCE = "maintenance"

# Most urgent first: a worker drains them in this order.
ALL_QUEUES = (NOTIFICATIONS, MEDIA, REPORTS, MAINTENANCE)


def get_queue(name: str, connection: Redis) -> Queue:
    if name not in ALL_QUEUES:
        raise ValueError(f"Unknown queue {name!r}; queues are {ALL_QUEUES}")
    # JSON, not pickle: job arguments are plain ids, readable by any tool and version.
    return Queue(name, connection=connection, serializer=JSONSerializer)


def retry_policy(config: Mapping[str, Any]) -> Retry:
    """Retry after each delay of JOB_RETRY_INTERVALS (back-off), then give up (failed list)."""
    intervals = [int(part) for part in str(config["JOB_RETRY_INTERVALS"]).split(",") if part]
    return Retry(max=len(intervals), interval=intervals)


# Finished jobs are kept this long in Redis, so that reconciliation sees "finished" rather
# than a missing job (which it would enqueue again: harmless, but wasted work).
RESULT_TTL = 24 * 3600


def enqueue(jobs: list[OutboxJob], redis: Redis, config: Mapping[str, Any]) -> None:
    """Hand the jobs to Redis in one round trip (the same job id replaces, never duplicates).

    Raises RedisError when Redis is unreachable; the caller then rolls back its marks."""
    retry = retry_policy(config)
    timeout = int(config["JOB_TIMEOUT"])
    with redis.pipeline() as pipe:
        for job in jobs:
            get_queue(job.queue, redis).enqueue(
                job.function, kwargs=job.kwargs, job_id=job.job_id, retry=retry,
                job_timeout=timeout, result_ttl=RESULT_TTL, pipeline=pipe,
            )
        pipe.execute()

"""Queue names by concern, and the queues and retry policy every enqueuer uses."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redis import Redis
from rq import Queue, Retry
from rq.serializers import JSONSerializer

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

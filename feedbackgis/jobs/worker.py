"""The RQ worker the app runs: JSON jobs, a shorter wait for jobs of vanished workers."""
from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Mapping
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy.orm import configure_mappers

from feedbackgis.extensions import db
from feedbackgis.jobs.queues import ALL_QUEUES, get_queue

log = logging.getLogger(__name__)
RQ_HEARTBEAT_GRACE = 60  # what RQ adds to the heartbeat interval


class FeedbackWorker(Worker):
    """RQ's forking worker with two changes, each for a reason:

    - A job whose worker vanished (SIGKILL, lost machine) is retried once its heartbeat has
      expired. RQ waits the monitoring interval plus a fixed 60 s; JOB_HEARTBEAT_GRACE sets
      that grace, so a notification is not late by a minute after a crash.
    - The work horse is a fork: it drops the database connections it inherited, which
      belong to the parent (SQLAlchemy's rule for forked processes).
    """

    heartbeat_grace = RQ_HEARTBEAT_GRACE

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        ttl = super().get_heartbeat_ttl(job, working_time)
        return max(1, ttl - RQ_HEARTBEAT_GRACE + self.heartbeat_grace)

    def main_work_horse(self, job: Job, queue: Any) -> None:
        if db.engine is not None:
            db.engine.dispose(close=False)
        super().main_work_horse(job, queue)


def warm_up() -> None:
    """Do once in the worker what every forked work horse would otherwise do again: import
    the job modules, configure the ORM mappers, compile the mail templates. The horses
    inherit it all (bench/notification_latency.py: ~11 -> ~15 jobs/s per worker)."""
    import feedbackgis.jobs.maintenance
    import feedbackgis.jobs.media
    import feedbackgis.jobs.notifications
    import feedbackgis.jobs.subscriptions  # noqa: F401
    from feedbackgis.mail.render import load_all_templates

    configure_mappers()
    load_all_templates()


def run_worker(connection: Redis, config: Mapping[str, Any], *, burst: bool = False) -> None:
    """Work until a stop is requested (TERM, Ctrl-C) or, with `burst`, the queues are empty.

    RQ's worker quits when Redis goes away while it waits for a job to finish (a restart,
    a failover). This starts a fresh worker once Redis answers again, so that a Redis
    restart never takes the workers (and `make run`) down with it; the jobs that Redis lost
    are enqueued again by the relay's reconciliation.
    """
    stop = threading.Event()
    while True:
        try:
            build_worker(connection, config).work(burst=burst, with_scheduler=True)
            return
        except RedisError as exc:
            log.warning("Redis went away under the worker (%s); it starts again once Redis "
                        "answers", type(exc).__name__)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        if not _wait_for_redis(connection, stop, float(config["RELAY_MAX_BACKOFF"])):
            return


def _wait_for_redis(connection: Redis, stop: threading.Event, max_wait: float) -> bool:
    """True once Redis answers; False if a stop was requested first."""
    wait = 0.1
    while not stop.is_set():
        try:
            connection.ping()
            return True
        except RedisError:
            stop.wait(wait)
            wait = min(wait * 2, max_wait)
    return False


def build_worker(connection: Redis, config: Mapping[str, Any],
                 queues: tuple[str, ...] = ALL_QUEUES, **kwargs: Any) -> FeedbackWorker:
    warm_up()
    worker = FeedbackWorker(
        [get_queue(name, connection) for name in queues],
        connection=connection, serializer=JSONSerializer,
        job_monitoring_interval=int(config["JOB_MONITORING_INTERVAL"]), **kwargs,
    )
    worker.heartbeat_grace = int(config["JOB_HEARTBEAT_GRACE"])
    return worker

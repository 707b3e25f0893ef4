"""The outbox relay: moves side effects recorded in the database to RQ queues, and sees them
through to the end.

A change and its outbox row commit together, so nothing is lost when Redis is down: the row
waits, and the relay enqueues it once Redis answers again. Each job it enqueues is noted in
`outbox_job`; the relay's reconciliation (jobs/reconcile.py) marks jobs done or failed as
Redis reports them and enqueues again any job that Redis lost. Rows are claimed with SKIP
LOCKED, so several relays may run. Job ids are stable (outbox-N-i) and the jobs idempotent,
so a job enqueued twice (a relay that died before it committed, a job re-driven while a
worker still ran it) does no harm.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from feedbackgis.jobs.queues import enqueue
from feedbackgis.jobs.reconcile import reconcile_all
from feedbackgis.jobs.routes import job_id, routes_of
from feedbackgis.models import OutboxJob, OutboxMessage

log = logging.getLogger(__name__)
def relay_batch(session: Session, redis: Redis, config: Mapping[str, Any],
                limit: int = 200) -> int:
    """Enqueue the jobs of up to `limit` outbox rows not yet relayed; returns how many rows.

    Raises RedisError when Redis is unreachable; then nothing is marked and all rows wait.
    """
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.relayed_at.is_(None))
        .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    if not rows:
        session.rollback()
        return 0
    now = datetime.now(UTC)
    jobs_by_row = {message.id: _jobs_of(message, now) for message in rows}
    jobs = [job for row_jobs in jobs_by_row.values() for job in row_jobs]
    try:
        enqueue(jobs, redis, config)
    except RedisError:
        session.rollback()
        raise
    # Added as rows, not through message.jobs: that relationship would load each row's
    # (empty) list first, one SELECT per row.
    session.add_all(jobs)
    for message in rows:
        message.relayed_at = now
        message.attempts += 1
        if not jobs_by_row[message.id]:
            message.done_at = now  # nothing to wait for
    session.commit()
    return len(rows)


def _jobs_of(message: OutboxMessage, now: datetime) -> list[OutboxJob]:
    routes = routes_of(message.topic)
    if routes is None:
        # Done all the same, with the reason kept: an unknown topic would otherwise be
        # claimed again forever. `feedbackgis jobs status` counts such rows.
        message.last_error = f"No jobs for topic {message.topic!r}"
        log.error("Outbox row %s: %s", message.id, message.last_error)
        return []
    return [
        OutboxJob(outbox_id=message.id, position=position, job_id=job_id(message.id, position),
                  queue=route.queue, function=route.function, kwargs=route.kwargs(message),
                  enqueued_at=now)
        for position, route in enumerate(routes)
    ]


def run_relay(session_factory: Any, redis: Redis, config: Mapping[str, Any],
              stop: threading.Event) -> None:
    """Relay until `stop` is set, reconciling every OUTBOX_RECONCILE_INTERVAL seconds; wait
    and back off (up to RELAY_MAX_BACKOFF) while Redis or the database is unreachable, and
    catch up when they answer again."""
    poll = float(config["RELAY_POLL_INTERVAL"])
    reconcile_every = float(config["OUTBOX_RECONCILE_INTERVAL"])
    wait = poll
    next_reconcile = 0.0
    while not stop.is_set():
        session = session_factory()
        try:
            moved = relay_batch(session, redis, config)
            if time.monotonic() >= next_reconcile:
                reconcile_all(session, redis, config)
                next_reconcile = time.monotonic() + reconcile_every
            wait = 0 if moved else poll
        except (RedisError, OperationalError) as exc:
            wait = min(max(wait, poll) * 2, float(config["RELAY_MAX_BACKOFF"]))
            log.warning("%s; outbox rows wait, retrying in %.1fs", _unavailable(exc), wait)
        finally:
            session.close()
        stop.wait(wait)


def _unavailable(exc: Exception) -> str:
    what = "Redis" if isinstance(exc, RedisError) else "The database"
    return f"{what} is unavailable ({type(exc).__name__})"

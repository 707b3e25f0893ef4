"""The outbox relay: moves side effects recorded in the database to RQ queues.

A change and its outbox row commit together, so nothing is lost when Redis is down: the row
waits, and the relay enqueues it once Redis answers again. Rows are claimed with SKIP
LOCKED, so several relays may run. A relay that dies after enqueuing but before marking the
row sent enqueues it again with the same job id; the jobs are idempotent, so that is safe.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from feedbackgis.jobs.queues import NOTIFICATIONS, get_queue, retry_policy
from feedbackgis.models import OutboxMessage

log = logging.getLogger(__name__)
JOBS = "feedbackgis.jobs"


@dataclass(frozen=True)
class JobRoute:
    queue: str
    function: str  # dotted path: the worker imports it, the relay does not need to
    arguments: tuple[str, ...]  # payload keys passed as keyword arguments
    # The job keys what it sends by the outbox row (e.g. one assignment email per row).
    with_outbox_id: bool = False


# What each outbox topic sets going. A topic with no routes is a fact nobody acts on yet.
ROUTES: dict[str, tuple[JobRoute, ...]] = {
    "report.submitted": (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_reporter_of_submission",
                 ("report_id",), with_outbox_id=True),
    ),
    "report.assigned": (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_party_of_assignment",
                 ("report_id", "party_id"), with_outbox_id=True),
    ),
    "report.triage": (),
    "report.status_changed": (
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_reporter_of_update",
                 ("report_id", "event_id")),
        JobRoute(NOTIFICATIONS, f"{JOBS}.notifications.notify_followers_of_update",
                 ("report_id", "event_id")),
    ),
    "area_subscription.created": (
        JobRoute(NOTIFICATIONS, f"{JOBS}.subscriptions.send_subscription_confirmation",
                 ("subscription_id",)),
    ),
    "report_follower.created": (
        JobRoute(NOTIFICATIONS, f"{JOBS}.subscriptions.send_follower_confirmation",
                 ("follower_id",)),
    ),
}


def _job_kwargs(message: OutboxMessage, route: JobRoute) -> dict[str, Any]:
    kwargs = {name: message.payload[name] for name in route.arguments}
    if route.with_outbox_id:
        kwargs["outbox_id"] = message.id
    return kwargs


def relay_batch(session: Session, redis: Redis, config: Mapping[str, Any],
                limit: int = 200) -> int:
    """Enqueue up to `limit` unsent outbox rows and mark them sent; returns how many.

    Raises RedisError when Redis is unreachable; then nothing is marked and all stay unsent.
    """
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    if not rows:
        session.rollback()
        return 0
    retry = retry_policy(config)
    try:
        with redis.pipeline() as pipe:
            for message in rows:
                _enqueue(message, redis, pipe, retry, int(config["JOB_TIMEOUT"]))
            pipe.execute()
    except RedisError:
        session.rollback()
        raise
    now = datetime.now(UTC)
    for message in rows:
        message.sent_at = now
    session.commit()
    return len(rows)


def _enqueue(message: OutboxMessage, redis: Redis, pipe: Any, retry: Any, timeout: int) -> None:
    routes = ROUTES.get(message.topic)
    if routes is None:
        # Marked sent all the same: an unknown topic would otherwise block nothing but
        # be retried forever. The error stays on the row for an admin to see.
        message.last_error = f"No jobs for topic {message.topic!r}"
        log.error("Outbox row %s: %s", message.id, message.last_error)
        return
    for index, route in enumerate(routes):
        get_queue(route.queue, redis).enqueue(
            route.function, kwargs=_job_kwargs(message, route),
            job_id=f"outbox-{message.id}-{index}", retry=retry, job_timeout=timeout,
            pipeline=pipe,
        )


def run_relay(session_factory: Any, redis: Redis, config: Mapping[str, Any],
              stop: threading.Event) -> None:
    """Relay until `stop` is set; wait and back off (up to RELAY_MAX_BACKOFF) while Redis
    or the database is unreachable, and catch up when they answer again."""
    poll = float(config["RELAY_POLL_INTERVAL"])
    wait = poll
    while not stop.is_set():
        session = session_factory()
        try:
            moved = relay_batch(session, redis, config)
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

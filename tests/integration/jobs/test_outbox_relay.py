"""The outbox relay against a real Redis that goes away and comes back."""
from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import func, select

from feedbackgis.extensions import db
from feedbackgis.jobs.queues import NOTIFICATIONS, get_queue
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.models import OutboxMessage
from feedbackgis.services.outbox import record_side_effect

from .helpers import PARTY_EMAIL, REPORTER_EMAIL, seed_lighting, submit


def _unsent(session) -> int:
    session.expire_all()
    return session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))


def test_report_submitted_while_redis_is_down_is_notified_after_it_is_back(
    app, committed, redis_server, smtp, mail_sink, drain,
):
    seed_lighting(committed)
    redis_server.stop()
    submit(app)  # 201: the request never touches Redis
    assert _unsent(committed) == 2  # submitted + assigned

    with pytest.raises(RedisConnectionError):
        relay_batch(db.session_factory(), redis_server.client(), app.config)
    assert _unsent(committed) == 2  # nothing lost, nothing half-marked

    redis_server.start()
    assert relay_batch(db.session_factory(), redis_server.client(), app.config) == 2
    assert _unsent(committed) == 0
    drain(lambda: len(mail_sink.messages) >= 2)
    assert len(mail_sink.to(PARTY_EMAIL)) == 1
    assert len(mail_sink.to(REPORTER_EMAIL)) == 1


def test_relay_enqueues_each_row_once_with_stable_job_ids(app, committed, redis_server):
    message = record_side_effect(committed, "report.status_changed", report_id=7, event_id=9)
    committed.commit()
    client = redis_server.client()
    assert relay_batch(db.session_factory(), client, app.config) == 1
    assert relay_batch(db.session_factory(), client, app.config) == 0
    queue = get_queue(NOTIFICATIONS, client)
    assert sorted(queue.job_ids) == [f"outbox-{message.id}-0", f"outbox-{message.id}-1"]
    job = queue.fetch_job(f"outbox-{message.id}-0")
    assert job.kwargs == {"report_id": 7, "event_id": 9}
    assert job.retries_left == len(app.config["JOB_RETRY_INTERVALS"].split(","))


def test_row_of_unknown_topic_is_set_aside_with_the_reason(app, committed, redis_server):
    message = record_side_effect(committed, "no.such.topic", x=1)
    committed.commit()
    assert relay_batch(db.session_factory(), redis_server.client(), app.config) == 1
    committed.refresh(message)
    assert message.sent_at is not None and "no.such.topic" in message.last_error

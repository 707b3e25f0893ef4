"""The outbox relay against a real Redis that goes away, comes back, or loses everything.

The database is the record of side effects: a row is done only once all its jobs finished
or failed for good, and jobs that Redis lost are enqueued again, without a second email.
"""
from __future__ import annotations

from collections import Counter

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import func, select

from feedbackgis.extensions import db
from feedbackgis.jobs.queues import NOTIFICATIONS, get_queue
from feedbackgis.jobs.reconcile import reconcile_jobs
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.jobs.routes import ROUTES
from feedbackgis.jobs.worker import build_worker
from feedbackgis.models import OutboxJob, OutboxJobState, OutboxMessage, OutboxTopic
from feedbackgis.services.outbox import record_side_effect

from .helpers import PARTY_EMAIL, REPORTER_EMAIL, seed_lighting, submit

# Jobs per row: a status change tells the reporter, the followers and the party's webhook;
# a submission sets going the receipt, and its assignment the work order and the webhook.
STATUS_JOBS = len(ROUTES[OutboxTopic.REPORT_STATUS_CHANGED])
SUBMISSION_JOBS = (len(ROUTES[OutboxTopic.REPORT_SUBMITTED])
                   + len(ROUTES[OutboxTopic.REPORT_ASSIGNED]))


def _count(session, *where) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(OutboxMessage).where(*where))


def _unrelayed(session) -> int:
    return _count(session, OutboxMessage.relayed_at.is_(None))


def _not_done(session) -> int:
    return _count(session, OutboxMessage.done_at.is_(None))


def _relay(app, redis_server) -> int:
    return relay_batch(db.session_factory(), redis_server.client(), app.config)


def _reconcile(app, redis_server):
    return reconcile_jobs(db.session_factory(), redis_server.client(), app.config)


def test_report_submitted_while_redis_is_down_is_notified_after_it_is_back(
    app, committed, redis_server, smtp, mail_sink, drain,
):
    seed_lighting(committed)
    redis_server.stop()
    submit(app)  # 201: the request never touches Redis
    assert _unrelayed(committed) == 2  # submitted + assigned

    with pytest.raises(RedisConnectionError):
        _relay(app, redis_server)
    assert _unrelayed(committed) == 2  # nothing lost, nothing half-marked
    assert committed.scalar(select(func.count()).select_from(OutboxJob)) == 0

    redis_server.start()
    assert _relay(app, redis_server) == 2
    assert _unrelayed(committed) == 0
    drain(lambda: len(mail_sink.messages) >= 2)
    assert len(mail_sink.to(PARTY_EMAIL)) == 1
    assert len(mail_sink.to(REPORTER_EMAIL)) == 1


def test_relay_enqueues_each_row_once_with_stable_job_ids_and_records_them(
    app, committed, redis_server,
):
    message = record_side_effect(committed, OutboxTopic.REPORT_STATUS_CHANGED, report_id=7,
                                 event_id=9)
    committed.commit()
    client = redis_server.client()
    assert _relay(app, redis_server) == 1
    assert _relay(app, redis_server) == 0
    queue = get_queue(NOTIFICATIONS, client)
    expected = [f"outbox-{message.id}-{position}" for position in range(STATUS_JOBS)]
    assert sorted(queue.job_ids) == expected
    job = queue.fetch_job(expected[0])
    assert job.kwargs == {"report_id": 7, "event_id": 9}
    assert job.retries_left == len(app.config["JOB_RETRY_INTERVALS"].split(","))
    recorded = committed.scalars(select(OutboxJob).order_by(OutboxJob.position)).all()
    assert [(j.job_id, j.state, j.kwargs) for j in recorded] == [
        (job_id, OutboxJobState.QUEUED, route.kwargs(message))
        for job_id, route in zip(expected, ROUTES[OutboxTopic.REPORT_STATUS_CHANGED],
                                 strict=True)
    ]
    assert recorded[0].kwargs == {"report_id": 7, "event_id": 9}


def test_a_row_is_done_only_once_every_job_it_set_going_has_finished(
    app, committed, redis_server,
):
    record_side_effect(committed, OutboxTopic.REPORT_STATUS_CHANGED, report_id=7, event_id=9)
    committed.commit()
    _relay(app, redis_server)
    assert _reconcile(app, redis_server).done == 0
    assert _not_done(committed) == 1  # relayed, not done: its jobs have not run

    with app.app_context():  # one of its jobs runs (no such report: nothing to tell)
        build_worker(redis_server.client(), app.config).work(
            burst=True, max_jobs=1, logging_level="WARNING")
    assert _reconcile(app, redis_server).done == 1
    assert _not_done(committed) == 1

    with app.app_context():
        build_worker(redis_server.client(), app.config).work(burst=True, logging_level="WARNING")
    assert _reconcile(app, redis_server).done == STATUS_JOBS - 1
    assert _not_done(committed) == 0


def test_row_of_unknown_topic_is_set_aside_with_the_reason(app, committed, redis_server):
    # Written directly: record_side_effect accepts only OutboxTopic members. Such a row can
    # only be left over from a topic that a later version removed.
    message = OutboxMessage(topic="no.such.topic", payload={"x": 1})
    committed.add(message)
    committed.commit()
    assert _relay(app, redis_server) == 1
    committed.refresh(message)
    assert message.done_at is not None and "no.such.topic" in message.last_error


def _flush(redis_server) -> None:
    redis_server.client().flushall()


def _restart_empty(redis_server) -> None:
    redis_server.stop()  # no persistence: it comes back with nothing
    redis_server.start()


@pytest.mark.parametrize("lose_everything", [_flush, _restart_empty],
                         ids=["flushall", "restarted_empty"])
def test_jobs_redis_lost_are_enqueued_again_and_every_email_arrives_exactly_once(
    app, committed, redis_server, smtp, mail_sink, drain, lose_everything,
):
    seed_lighting(committed)
    reports = 12
    for _ in range(reports):
        submit(app)  # each: the party's work order and the reporter's receipt
    expected, jobs = 2 * reports, SUBMISSION_JOBS * reports
    while _relay(app, redis_server):
        pass
    # A backlog, part of it worked off: some emails sent, most still queued.
    with app.app_context():
        build_worker(redis_server.client(), app.config).work(
            burst=True, max_jobs=5, logging_level="WARNING")
    assert 0 < len(mail_sink.messages) <= 5

    lose_everything(redis_server)
    assert get_queue(NOTIFICATIONS, redis_server.client()).count == 0
    status = app.test_cli_runner().invoke(args=["jobs", "status"])
    assert f"lost by Redis: {jobs} job(s)" in status.output, status.output

    reconciled = _reconcile(app, redis_server)
    # The 5 finished jobs were lost too (their results with them): enqueued again, and
    # deliver_once sees their emails as sent.
    assert reconciled.redriven == jobs
    drain(lambda: len(mail_sink.messages) >= expected
          and get_queue(NOTIFICATIONS, redis_server.client()).count == 0)
    _reconcile(app, redis_server)

    message_ids = Counter(message["Message-ID"] for message in mail_sink.messages)
    assert len(message_ids) == expected and set(message_ids.values()) == {1}
    assert len(mail_sink.to(PARTY_EMAIL)) == reports
    assert len(mail_sink.to(REPORTER_EMAIL)) == reports
    assert _not_done(committed) == 0
    redriven = committed.scalar(select(func.count()).select_from(OutboxJob)
                                .where(OutboxJob.enqueue_count == 2))
    assert redriven == jobs


def test_a_job_that_failed_for_good_is_recorded_with_its_reason_and_done_after_a_retry(
    app, committed, redis_server, smtp, mail_sink, drain,
):
    seed_lighting(committed)
    mail_sink.handler.refuse_next = 100
    submit(app, email=None)  # the party's work order fails; the receipt has nobody to go to
    _relay(app, redis_server)
    failed = []
    drain(lambda: failed.append(_reconcile(app, redis_server).failed) or sum(failed) == 1)

    job = committed.scalars(select(OutboxJob).where(
        OutboxJob.function.endswith("notify_party_of_assignment"))).one()
    committed.refresh(job)
    assert job.state is OutboxJobState.FAILED and "451" in job.last_error
    assert _not_done(committed) == 0  # failed for good and recorded: nothing more to do
    runner = app.test_cli_runner()
    assert "jobs failed for good:  1" in runner.invoke(args=["jobs", "status"]).output

    mail_sink.handler.refuse_next = 0
    assert runner.invoke(args=["jobs", "retry", job.job_id]).exit_code == 0
    assert _not_done(committed) == 1  # its job is out again
    drain(lambda: len(mail_sink.messages) == 1)
    _reconcile(app, redis_server)
    committed.refresh(job)
    assert job.state is OutboxJobState.DONE and _not_done(committed) == 0


def test_jobs_status_shows_what_waits_where(app, committed, redis_server, smtp, mail_sink):
    seed_lighting(committed)
    submit(app)
    runner = app.test_cli_runner()
    waiting = runner.invoke(args=["jobs", "status"]).output
    assert "waiting for the relay: 2 row(s)" in waiting

    _relay(app, redis_server)
    relayed = runner.invoke(args=["jobs", "status"]).output
    assert "waiting for the relay: 0 row(s)" in relayed
    assert f"jobs out in Redis:     {SUBMISSION_JOBS}" in relayed
    assert f"  {NOTIFICATIONS:<14}{SUBMISSION_JOBS:>8}{0:>9}{0:>10}{0:>8}" in relayed

    redis_server.stop()
    down = runner.invoke(args=["jobs", "status"])
    assert down.exit_code == 0 and "Redis: unavailable" in down.output
    assert f"jobs out in Redis:     {SUBMISSION_JOBS}" in down.output


def test_one_reconciliation_pass_puts_back_a_backlog_larger_than_a_batch(
    app, committed, redis_server, monkeypatch,
):
    from feedbackgis.jobs import reconcile

    monkeypatch.setattr(reconcile, "BATCH", 4)
    rows = 3
    jobs = rows * STATUS_JOBS  # more than two batches
    assert jobs > 2 * reconcile.BATCH
    for event_id in range(rows):
        record_side_effect(committed, OutboxTopic.REPORT_STATUS_CHANGED, report_id=7,
                           event_id=event_id)
    committed.commit()
    _relay(app, redis_server)
    assert reconcile.reconcile_all(db.session_factory(), redis_server.client(),
                                   app.config).redriven == 0  # nothing lost: nothing done
    _flush(redis_server)
    passed = reconcile.reconcile_all(db.session_factory(), redis_server.client(), app.config)
    assert (passed.checked, passed.redriven) == (jobs, jobs)
    assert get_queue(NOTIFICATIONS, redis_server.client()).count == jobs

"""Jobs against a mail server that refuses, and a worker that is killed mid-send."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from feedbackgis.extensions import db
from feedbackgis.jobs.queues import NOTIFICATIONS, get_queue
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.jobs.worker import build_worker
from feedbackgis.models import DeliveryStatus, Notification

from .helpers import PARTY_EMAIL, seed_lighting, submit


def _relay(app, redis_server) -> None:
    relay_batch(db.session_factory(), redis_server.client(), app.config)


def test_refused_mail_is_retried_with_back_off_then_delivered(
    app, committed, redis_server, smtp, mail_sink, drain,
):
    seed_lighting(committed)
    mail_sink.handler.refuse_next = 2  # the first two attempts get 451
    submit(app, email=None)  # only the party's email: one notification
    _relay(app, redis_server)
    client = redis_server.client()
    with app.app_context():
        build_worker(client, app.config).work(burst=True, logging_level="WARNING")
    # Failed once: not retried at once, but scheduled for later (back-off).
    scheduled = ScheduledJobRegistry(queue=get_queue(NOTIFICATIONS, client))
    assert scheduled.count == 1 and mail_sink.messages == []

    drain(lambda: len(mail_sink.messages) >= 1)
    assert len(mail_sink.to(PARTY_EMAIL)) == 1
    row = committed.query(Notification).one()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 3)


def test_after_the_last_retry_the_job_is_in_the_failed_list_with_its_reason(
    app, committed, redis_server, smtp, mail_sink, drain,
):
    seed_lighting(committed)
    mail_sink.handler.refuse_next = 100
    submit(app, email=None)
    _relay(app, redis_server)
    registry = FailedJobRegistry(queue=get_queue(NOTIFICATIONS, redis_server.client()))
    drain(lambda: registry.count == 1)
    assert mail_sink.messages == []

    runner = app.test_cli_runner()
    listing = runner.invoke(args=["jobs", "failed"])
    assert listing.exit_code == 0
    assert "notify_party_of_assignment" in listing.output and "451" in listing.output
    job_id = registry.get_job_ids()[0]

    mail_sink.handler.refuse_next = 0
    retried = runner.invoke(args=["jobs", "retry", job_id])
    assert retried.exit_code == 0 and job_id in retried.output
    drain(lambda: len(mail_sink.messages) == 1)
    assert runner.invoke(args=["jobs", "failed"]).output.strip() == "No failed jobs."
    assert runner.invoke(args=["jobs", "retry", "no-such-job"]).exit_code == 1


def _worker_process(app, redis_server) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FEEDBACKGIS_ENV": "development",
           "DATABASE_URL": app.config["DATABASE_URL"], "REDIS_URL": redis_server.url,
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(app.config["SMTP_PORT"]),
           "SMTP_SECURITY": "none", "JOB_RETRY_INTERVALS": "1,1,1",
           "JOB_MONITORING_INTERVAL": "1", "JOB_HEARTBEAT_GRACE": "1",
           "SECRET_KEY": app.config["SECRET_KEY"]}
    command = [sys.executable, "-m", "feedbackgis.cli", "jobs", "worker"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                            stderr=subprocess.DEVNULL)


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _work_horses(worker: subprocess.Popen[bytes]) -> list[int]:
    # RQ puts each work horse in a process group of its own; the scheduler child stays in
    # the worker's group.
    return [pid for pid in _children(worker.pid) if os.getpgid(pid) == pid]


def _kill_worker(worker: subprocess.Popen[bytes], whole_machine: bool) -> None:
    """SIGKILL the work horse that is sending (as the OOM killer would), or the worker with
    every process it started (as when its machine or container is lost)."""
    victims = [*_children(worker.pid), worker.pid] if whole_machine else _work_horses(worker)
    assert victims, "no work horse to kill"
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    if whole_machine:
        worker.wait(timeout=10)


def _wait_until_marked_sent(session, timeout: float = 10.0) -> None:
    """The sink has the message a moment before the sender records it as sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.expire_all()
        if session.query(Notification).one().status is DeliveryStatus.SENT:
            return
        time.sleep(0.05)
    raise AssertionError("the notification was never marked sent")


@pytest.mark.parametrize("whole_machine", [False, True], ids=["work-horse", "whole-worker"])
def test_worker_killed_while_sending_is_retried_and_one_email_arrives(
    app, committed, redis_server, smtp, mail_sink, drain, whole_machine,
):
    seed_lighting(committed)
    mail_sink.handler.hold_transaction = True  # the sender dies mid-transaction
    submit(app, email=None)
    _relay(app, redis_server)
    worker = _worker_process(app, redis_server)
    try:
        assert mail_sink.handler.transaction_started.wait(timeout=30), "the worker never sent"
        _kill_worker(worker, whole_machine)
        mail_sink.handler.hold_transaction = False
        mail_sink.handler.release.set()  # the dead sender's transaction ends without a message
        time.sleep(0.5)
        assert mail_sink.messages == []
        if whole_machine:
            # Its heartbeat lapses after ~2 s and a new worker retries the abandoned job.
            # The retry is scheduled (back-off), and scheduling waits until the dead worker's
            # scheduler lock lapses: RQ holds it for 61 s. That is the real recovery time
            # after losing a machine, so the test waits for it.
            drain(lambda: len(mail_sink.messages) >= 1, timeout=120)
        else:
            # The surviving worker sees its work horse die and schedules the retry itself.
            mail_sink.wait_for(1, timeout=30)
        _wait_until_marked_sent(committed)
    finally:
        if worker.poll() is None:
            _kill_worker(worker, whole_machine=True)
    drain(lambda: True)  # anything left over runs too, and still sends nothing more
    assert len(mail_sink.to(PARTY_EMAIL)) == 1
    assert len(mail_sink.messages) == 1
    committed.expire_all()
    row = committed.query(Notification).one()
    # The killed attempt's lock and its uncommitted count died with it: one attempt counted.
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1) and row.sent_at is not None

"""An overdue report, end to end: the scheduled check runs in a real worker, the relay moves
its outbox rows, the party gets the reminder, later the manager; a further check sends
nothing new. Real processes (as `make run` starts them), Redis and the SMTP sink."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from rq.job import JobStatus
from sqlalchemy import select, update

from feedbackgis.jobs.schedule import build_scheduler
from feedbackgis.models import EventKind, Party, Report, ReportEvent

from .helpers import PARTY_EMAIL, REPORTER_EMAIL, seed_lighting, submit

MANAGER_EMAIL = "esihenkilo@valaistus.example"


def _process(app, redis_server, log_dir, command: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FEEDBACKGIS_ENV": "development",
           "DATABASE_URL": app.config["DATABASE_URL"], "REDIS_URL": redis_server.url,
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(app.config["SMTP_PORT"]),
           "SMTP_SECURITY": "none", "JOB_RETRY_INTERVALS": "1,2",
           "JOB_MONITORING_INTERVAL": "1", "JOB_HEARTBEAT_GRACE": "1",
           "RELAY_POLL_INTERVAL": "0.1", "OUTBOX_RECONCILE_INTERVAL": "0.3",
           "SECRET_KEY": app.config["SECRET_KEY"], "TIMEZONE": "Europe/Helsinki",
           "ESCALATION_MANAGER_AFTER_WORKING_DAYS": "2", "DEFAULT_LANGUAGE": "en"}
    return subprocess.Popen([sys.executable, "-m", "feedbackgis.cli", "jobs", command],  # noqa: S603
                            env=env, stdout=subprocess.DEVNULL,
                            stderr=open(log_dir / f"{command}.log", "wb"))  # noqa: SIM115


def _run_hourly_check(redis_server) -> int:
    """Enqueue the overdue check as the cron scheduler does; its result once a worker ran it."""
    scheduler = build_scheduler(redis_server.client())
    check = next(job for job in scheduler.get_jobs()
                 if job.func.__name__ == "check_overdue_reports")
    job = check.enqueue(redis_server.client())
    deadline = time.monotonic() + 30
    while job.get_status(refresh=True) != JobStatus.FINISHED:
        assert job.get_status() != JobStatus.FAILED, job.latest_result()
        assert time.monotonic() < deadline, "the overdue check did not run"
        time.sleep(0.1)
    return job.return_value()


def _escalations(session, report_id: int) -> list[dict]:
    session.expire_all()
    return [event.data for event in session.scalars(
        select(ReportEvent).where(ReportEvent.report_id == report_id,
                                  ReportEvent.kind == EventKind.ESCALATED)
        .order_by(ReportEvent.id))]


def test_an_overdue_report_reminds_its_party_then_its_manager_and_nothing_more(
    app, committed, redis_server, smtp, mail_sink, tmp_path,
):
    seed_lighting(committed)
    committed.execute(update(Party).values(manager_email=MANAGER_EMAIL))
    committed.commit()
    processes = [_process(app, redis_server, tmp_path, "relay"),
                 _process(app, redis_server, tmp_path, "worker")]
    try:
        report_id = submit(app)["id"]
        mail_sink.wait_for(2, timeout=60)  # the work order and the reporter's receipt
        assert committed.get(Report, report_id).due_at is not None  # set on assignment
        # Three weeks past its due date: late by more than two working days in any season.
        committed.execute(update(Report).where(Report.id == report_id)
                          .values(due_at=datetime.now(UTC) - timedelta(days=21)))
        committed.commit()

        assert _run_hourly_check(redis_server) == 1
        reminder = mail_sink.wait_for(3, timeout=60)[2]
        assert reminder["To"] == PARTY_EMAIL and "Overdue" in reminder["Subject"]
        assert f"/staff/reports/{report_id}" in reminder.get_body(("plain",)).get_content()

        assert _run_hourly_check(redis_server) == 1  # an hour later: the manager
        notice = mail_sink.wait_for(4, timeout=60)[3]
        assert notice["To"] == MANAGER_EMAIL and f"#{report_id}" in notice["Subject"]
        assert "was reminded" in notice.get_body(("plain",)).get_content()

        assert _run_hourly_check(redis_server) == 0  # nothing left to escalate
        time.sleep(1.5)  # a duplicate would arrive by now
        assert all(process.poll() is None for process in processes), "a process died"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
    recipients = Counter(message["To"] for message in mail_sink.messages)
    assert recipients == {PARTY_EMAIL: 2, REPORTER_EMAIL: 1, MANAGER_EMAIL: 1}
    assert len({message["Message-ID"] for message in mail_sink.messages}) == 4
    events = _escalations(committed, report_id)
    assert [(event["level"], event["to"]) for event in events] == [(1, "party"),
                                                                  (2, "party_manager")]
    assert committed.get(Report, report_id).escalation_level == 2

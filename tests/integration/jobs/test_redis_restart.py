"""A running relay and worker (real processes, as `make run` starts them) live through a
Redis that restarts empty, and every email still arrives once."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

from .helpers import seed_lighting, submit


def _process(app, redis_server, log_dir, *command: str) -> subprocess.Popen[bytes]:
    # stderr kept in the test's tmp_path: what a process said is there when a test fails.
    env = {**os.environ, "FEEDBACKGIS_ENV": "development",
           "DATABASE_URL": app.config["DATABASE_URL"], "REDIS_URL": redis_server.url,
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(app.config["SMTP_PORT"]),
           "SMTP_SECURITY": "none", "JOB_RETRY_INTERVALS": "1,2,4",
           "JOB_MONITORING_INTERVAL": "1", "JOB_HEARTBEAT_GRACE": "1",
           "RELAY_POLL_INTERVAL": "0.1", "RELAY_MAX_BACKOFF": "0.5",
           "OUTBOX_RECONCILE_INTERVAL": "0.3", "SECRET_KEY": app.config["SECRET_KEY"]}
    return subprocess.Popen([sys.executable, "-m", "feedbackgis.cli", "jobs", *command],  # noqa: S603
                            env=env, stdout=subprocess.DEVNULL,
                            stderr=open(log_dir / f"{command[0]}.log", "wb"))  # noqa: SIM115


def test_relay_and_worker_survive_redis_restarting_empty_and_every_email_arrives_once(
    app, committed, redis_server, smtp, mail_sink, tmp_path,
):
    seed_lighting(committed)
    # The worker is stuck in its first SMTP transaction while the rest of the backlog
    # waits in Redis, which then restarts with nothing.
    mail_sink.handler.hold_transaction = True
    processes = [_process(app, redis_server, tmp_path, "relay"),
                 _process(app, redis_server, tmp_path, "worker")]
    try:
        for _ in range(4):
            submit(app)
        assert mail_sink.handler.transaction_started.wait(timeout=30), "the worker never sent"
        redis_server.stop()
        submit(app)  # while Redis is down: the request never needs it
        time.sleep(1.0)
        redis_server.start()
        mail_sink.handler.hold_transaction = False
        mail_sink.handler.release.set()
        messages = mail_sink.wait_for(10, timeout=60)  # 5 reports: work order and receipt
        time.sleep(1.5)  # a duplicate would arrive by now
        assert all(process.poll() is None for process in processes), "a process died"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
    per_message = Counter(message["Message-ID"] for message in mail_sink.messages)
    # The held job was lost from Redis while it ran and was enqueued again: its second run
    # found the email sent (deliver_once) and sent nothing.
    assert len(messages) == 10 and set(per_message.values()) == {1}

"""PostgreSQL killed with -9 in the middle of a burst of submissions, then restarted.

Everything runs as deployed, in processes of its own: gunicorn serving the app, the outbox
relay and an RQ worker, on a PostgreSQL cluster of this test's own (the suite's database
must not be killed), a redis-server and an SMTP sink. Phones resend what failed, with the
same Idempotency-Key, as a client should.

Proven: every request that got its 201 is stored with its events, contact and outbox rows;
nothing is half-written; the failures during the outage are 503s (never 500s); each report
exists once however often it was sent; and the relay and the worker catch up by themselves,
so every party and every reporter gets their email.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests.local_servers import PostgresServer, RedisServer, free_port

ROOT = Path(__file__).resolve().parents[2]
REPORTERS = 4
REPORTS_EACH = 12
KILL_AFTER = 12  # reports stored before PostgreSQL is killed
DOWN_FOR = 2.0  # seconds before it is started again
PLACE = {"lon": 24.9449, "lat": 60.1779}  # in the demo municipality


@dataclass
class Rig:
    base_url: str
    database_url: str
    postgres: PostgresServer
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "feedbackgis.cli", *args], env=env, check=True,  # noqa: S603
                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)


def _create_database(postgres: PostgresServer) -> str:
    with psycopg.connect(f"host=127.0.0.1 port={postgres.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute("CREATE DATABASE crash")
    with psycopg.connect(f"host=127.0.0.1 port={postgres.port} user=postgres dbname=crash",
                         autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
    return f"postgresql+psycopg://postgres@127.0.0.1:{postgres.port}/crash"


def _environment(database_url: str, redis: RedisServer, mail_port: int, port: int) -> dict:
    return {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
        "FEEDBACKGIS_ENV": "development", "SECRET_KEY": "crash-test-secret",
        "DATABASE_URL": database_url, "REDIS_URL": redis.url,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mail_port), "SMTP_SECURITY": "none",
        # Retries outlast the outage: a job that meets the dead database waits and retries.
        "JOB_RETRY_INTERVALS": "1,2,4,8,16", "JOB_MONITORING_INTERVAL": "1",
        "JOB_HEARTBEAT_GRACE": "1", "RELAY_POLL_INTERVAL": "0.1", "RELAY_MAX_BACKOFF": "1",
        "OUTBOX_RECONCILE_INTERVAL": "0.5",
        # One client sends the whole burst: the per-client limit is not what is tested here.
        "RATELIMIT_ENABLED": "false",
    }


def _wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout} s")


@pytest.fixture
def rig(tmp_path, mail_sink) -> Iterator[Rig]:
    # Under var/: the system user postgres must reach the cluster (see PostgresServer).
    directory = ROOT / "var" / f"test-crash-{os.getpid()}"
    shutil.rmtree(directory, ignore_errors=True)
    postgres = PostgresServer(directory).init().start()
    redis = RedisServer(tmp_path).start()
    port = free_port()
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        database_url = _create_database(postgres)
        env = _environment(database_url, redis, mail_sink.port, port)
        _cli(env, "db", "upgrade")
        _cli(env, "demo", "seed")
        rig = Rig(f"http://127.0.0.1:{port}", database_url, postgres, processes)
        commands = {
            "gunicorn": [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b",
                         f"127.0.0.1:{port}", "wsgi:app"],
            "relay": [sys.executable, "-m", "feedbackgis.cli", "jobs", "relay"],
            "worker": [sys.executable, "-m", "feedbackgis.cli", "jobs", "worker"],
        }
        for name, command in commands.items():
            processes[name] = subprocess.Popen(  # noqa: S603
                command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / f"{name}.log", "wb"))  # noqa: SIM115
        _wait_for(f"{rig.base_url}/healthz")
        yield rig
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        redis.stop()
        postgres.stop()
        shutil.rmtree(directory, ignore_errors=True)


def _post_report(base_url: str, key: str, email: str) -> tuple[int | None, dict]:
    body = {"category": "streetlight", "location": PLACE, "description": f"Valo ei pala ({key})",
            "answers": {"light_out": True}, "contact": {"email": email}}
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base_url}/api/v1/reports", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}
    except OSError:  # the connection itself failed: a phone would resend
        return None, {}


@dataclass
class Burst:
    created: dict[str, dict] = field(default_factory=dict)  # key -> the 201 body
    failures: Counter[int | None] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _reporter(base_url: str, number: int, burst: Burst, deadline: float) -> None:
    for index in range(REPORTS_EACH):
        key, email = f"crash-{number}-{index}", f"asukas-{number}-{index}@example.fi"
        while time.monotonic() < deadline:
            status, body = _post_report(base_url, key, email)
            with burst.lock:
                if status == 201:
                    burst.created[key] = body
                    break
                burst.failures[status] += 1
            time.sleep(0.2)  # and resend the same request


def _rows(database_url: str, query: str) -> list:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(query)))
    finally:
        engine.dispose()


def test_postgresql_killed_during_a_burst_loses_no_acknowledged_report_and_jobs_catch_up(
    rig, mail_sink,
):
    # The demo municipality comes with reports of its own: only the burst's are counted.
    demo_reports = {row[0] for row in _rows(rig.database_url, "SELECT id FROM report")}
    burst = Burst()
    deadline = time.monotonic() + 120
    threads = [threading.Thread(target=_reporter, args=(rig.base_url, n, burst, deadline))
               for n in range(REPORTERS)]
    for thread in threads:
        thread.start()
    while len(burst.created) < KILL_AFTER and time.monotonic() < deadline:
        time.sleep(0.01)
    killed = rig.postgres.kill_9()
    time.sleep(DOWN_FOR)
    rig.postgres.start()  # crash recovery from the write-ahead log
    for thread in threads:
        thread.join(timeout=130)

    total = REPORTERS * REPORTS_EACH
    assert len(killed) > 1 and len(burst.created) == total
    # The outage was seen, and only as "unavailable, try again" (or no connection at all).
    assert sum(burst.failures.values()) > 0, "the kill did not hit the burst"
    assert set(burst.failures) <= {503, None}, burst.failures

    # Each report once, however often it was sent; each with all it must have.
    ids = {body["id"] for body in burst.created.values()}
    assert len(ids) == total
    stored = _rows(rig.database_url, """
        SELECT r.id,
               (SELECT array_agg(e.kind::text ORDER BY e.id) FROM report_event e
                 WHERE e.report_id = r.id),
               (SELECT array_agg(o.topic ORDER BY o.id) FROM outbox o
                 WHERE (o.payload->>'report_id')::int = r.id),
               EXISTS (SELECT 1 FROM reporter_contact c WHERE c.report_id = r.id)
          FROM report r""")
    stored = [row for row in stored if row[0] not in demo_reports]
    assert {row[0] for row in stored} == ids  # nothing more, nothing less
    for _id, events, topics, has_contact in stored:
        assert events == ["submitted", "assigned"] and has_contact
        assert topics == ["report.assigned", "report.submitted"]

    # The relay and the worker, never restarted, deliver everything: once per email.
    # Counted by Message-ID: an email accepted by the SMTP server just before the database
    # died is sent again (it was not yet marked sent), with the same Message-ID, so that the
    # receiving side can drop the copy (services/notifications/delivery.py).
    message_ids = _wait_for_distinct_messages(mail_sink, 2 * total, timeout=90)
    assert len(message_ids) == 2 * total
    reporter_mail = [m for m in mail_sink.messages if m["To"].startswith("asukas-")]
    assert len({m["To"] for m in reporter_mail}) == total
    _wait_until_outbox_done(rig.database_url)
    assert all(process.poll() is None for process in rig.processes.values())


def _wait_for_distinct_messages(mail_sink, count: int, timeout: float) -> set[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = {m["Message-ID"] for m in mail_sink.messages}
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{len(found)} distinct emails of {count} arrived in {timeout} s")


def _wait_until_outbox_done(database_url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _rows(database_url, "SELECT count(*) FROM outbox WHERE done_at IS NULL")[0][0] == 0:
            return
        time.sleep(0.3)
    raise AssertionError("outbox rows are still not done")

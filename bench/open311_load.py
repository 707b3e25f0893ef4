"""The Open311 benchmark's load: the app served by gunicorn on loopback, clients as processes
of their own (requests.Session, keep-alive) and the raw-SQL baseline as processes with a
psycopg connection each, all started together and run for a fixed time.

Processes, not threads: four clients in one Python process would share one GIL and measure
the load generator. They run on the same cores as gunicorn and PostgreSQL, as the issue says.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import secrets
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import requests

from bench import wrk_load
from bench.database import bench_database_url, time_replay
from bench.job_services import stop_process
from bench.registry import percentiles_ms
from tests.local_servers import free_port

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0
WORKERS, THREADS = 2, 2  # gunicorn: 2 processes x 2 threads serve the 4 clients at once
WARM_UP_CALLS = 5
# (method, path, query or form): one HTTP call of a client.
Call = tuple[str, str, dict[str, str]]
# The statements one request sent, with their parameters, as SQLAlchemy sent them.
Statements = list[tuple[str, Any]]


@dataclass
class Outcome:
    """What a set of processes did in a run: every call's time, its statuses, its pace."""

    latencies_ns: list[int] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    # (p50, p95) in ms when the load generator measured them itself (wrk), else None.
    measured_ms: tuple[float, float] | None = None
    warm_ups: int = 0  # calls made before the measured run (they store reports too)

    def p50_p95_ms(self) -> tuple[float, float] | None:
        if self.measured_ms is not None:
            return self.measured_ms
        if not self.latencies_ns:
            return None
        p50, p95 = percentiles_ms(self.latencies_ns, (50, 95))
        return p50, p95

    @property
    def statuses_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("2"))

    @property
    def per_second(self) -> float:
        return self.statuses_2xx / self.seconds if self.seconds else 0.0

    def merge(self, latencies: list[int], statuses: Counter[str], seconds: float,
              errors: list[str]) -> None:
        self.latencies_ns += latencies
        self.statuses.update(statuses)
        self.seconds = max(self.seconds, seconds)
        self.errors += errors[:3]


class Server:
    """gunicorn serving wsgi:app on a free loopback port with `settings` as its environment."""

    def __init__(self, settings: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--threads",
             str(THREADS), "--worker-class", "gthread", "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--log-level", "warning", "wsgi:app"],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **settings},
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_until_up(self) -> Server:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if requests.get(f"{self.base}/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start in time")

    def stop(self) -> None:
        stop_process(self.process)
        self._log.close()


def _pool(size: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"))


def run_load(base: str, calls_per_client: Sequence[list[Call]], seconds: float) -> Outcome:
    """The clients' calls for `seconds`: by wrk (a connection a client) when it is
    installed, else by a Python process a client."""
    if not wrk_load.available():
        return run_clients(base, calls_per_client, seconds)
    result = wrk_load.run_wrk(base, calls_per_client, seconds)
    return Outcome(statuses=result["statuses"], seconds=result["seconds"],
                   measured_ms=(result["p50_ms"], result["p95_ms"]))


def run_clients(base: str, calls_per_client: Sequence[list[Call]], seconds: float
                ) -> Outcome:
    """Each client process cycles through its calls for `seconds`, all starting together."""
    outcome = Outcome(warm_ups=WARM_UP_CALLS * len(calls_per_client))
    with _pool(len(calls_per_client)) as pool:
        start_at = time.time() + 2.0 + 0.3 * len(calls_per_client)  # after the spawns
        futures = [pool.submit(_client, base, calls, start_at, seconds)
                   for calls in calls_per_client]
        for future in futures:
            outcome.merge(*future.result())
    return outcome


def _client(base: str, calls: list[Call], start_at: float, seconds: float
            ) -> tuple[list[int], Counter[str], float, list[str]]:
    session = requests.Session()
    for call in calls[:WARM_UP_CALLS]:
        _send(session, base, call)
    latencies, statuses, errors = [], Counter(), []
    time.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    end = started + seconds
    k = 0
    while time.perf_counter() < end:
        call = calls[k % len(calls)]
        k += 1
        began = time.perf_counter_ns()
        response = _send(session, base, call)
        latencies.append(time.perf_counter_ns() - began)
        statuses[str(response.status_code)] += 1
        if response.status_code >= 300 and len(errors) < 3:
            errors.append(f"{response.status_code} {call[0]} {call[1]}: {response.text[:200]}")
    return latencies, statuses, time.perf_counter() - started, errors


def _send(session: requests.Session, base: str, call: Call) -> requests.Response:
    method, path, values = call
    if method == "POST":
        response = session.post(base + path, data=values, timeout=30)
    else:
        response = session.get(base + path, params=values, timeout=30)
    response.content  # noqa: B018 - read the whole body, as a client does
    return response


def libpq_url() -> str:
    return bench_database_url().set(drivername="postgresql").render_as_string(False)


def run_sql(recorded: Sequence[list[Any]], seconds: float, *, fresh_report: bool
            ) -> Outcome:
    """Each process replays its recorded requests' statements on a psycopg connection of
    its own, one request a transaction, for `seconds`. `fresh_report`: each recorded
    request is (statements, the id of the report it created), replayed as a new report
    each time (replay_creation)."""
    outcome = Outcome()
    with _pool(len(recorded)) as pool:
        start_at = time.time() + 2.0 + 0.3 * len(recorded)
        futures = [pool.submit(_replayer, libpq_url(), requests_, start_at, seconds,
                               fresh_report) for requests_ in recorded]
        for future in futures:
            outcome.merge(*future.result())
    return outcome


def _replayer(url: str, recorded: list[Any], start_at: float, seconds: float,
              fresh_report: bool) -> tuple[list[int], Counter[str], float, list[str]]:
    latencies, statuses, errors = [], Counter(), []
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.cursor()
        time.sleep(max(0.0, start_at - time.time()))
        started = time.perf_counter()
        end = started + seconds
        k = 0
        while time.perf_counter() < end:
            try:
                item = recorded[k % len(recorded)]
                latencies.append(replay_creation(cursor, *item) if fresh_report
                                 else time_replay(cursor, item))
                statuses["200"] += 1
            except psycopg.Error as exc:
                statuses["error"] += 1
                if len(errors) < 3:
                    errors.append(str(exc).splitlines()[0])
                if statuses["error"] > 10 and not statuses["200"]:
                    break
            k += 1
    return latencies, statuses, time.perf_counter() - started, errors


# A random token as the app makes them (an md5 or SHA-256 hex digest, token_urlsafe(32)):
# unique columns. Not a point's WKB hex (50 characters).
_TOKEN = re.compile(r"[0-9a-f]{32}|[0-9a-f]{64}|[A-Za-z0-9_-]{43}")
_INSERT_REPORT = re.compile(r"^\s*INSERT INTO report\b.*RETURNING", re.IGNORECASE | re.DOTALL)


def replay_creation(cursor, statements: Statements, recorded_id: int | None) -> int:  # noqa: ANN001
    """Nanoseconds to replay the statements of a request that created a report, as a new
    report: the report's id returned by its INSERT replaces the recorded one in the later
    statements, and the random tokens each INSERT or UPDATE writes (unique columns) are
    drawn anew."""
    started = time.perf_counter_ns()
    new_id = None
    with cursor.connection.transaction():
        for statement, parameters in statements:
            if parameters and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE"):
                parameters = _fresh_tokens(parameters)
            if new_id is not None and parameters:
                parameters = _swap(parameters, recorded_id, new_id)
            cursor.execute(statement, parameters)
            rows = cursor.fetchall() if cursor.description is not None else []
            if new_id is None and _INSERT_REPORT.match(statement) and rows:
                new_id = rows[0][0]
    return time.perf_counter_ns() - started


def _fresh_tokens(parameters: Any) -> Any:
    def fresh(value: Any) -> Any:
        if isinstance(value, str) and _TOKEN.fullmatch(value):
            return secrets.token_hex(len(value))[: len(value)]
        return value
    if isinstance(parameters, dict):
        return {key: fresh(value) for key, value in parameters.items()}
    return type(parameters)(fresh(value) for value in parameters)


def _swap(parameters: Any, old: int | None, new: int) -> Any:
    def swap(value: Any) -> Any:
        return new if old is not None and isinstance(value, int) and value == old else value
    if isinstance(parameters, dict):
        return {key: swap(value) for key, value in parameters.items()}
    return type(parameters)(swap(value) for value in parameters)

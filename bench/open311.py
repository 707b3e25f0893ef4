"""Open311 GeoReport v2 under load: a city of 100,000 (and 1,000,000) reports, the app served
by gunicorn on loopback, 4 clients with keep-alive on the same 2 cores: wrk's connections
(bench/wrk_load.py: wrk spends a fraction of the CPU four Python clients did) or, without
wrk, a Python process each.

Targets (from the issue), at each size, for --open311-seconds each:
- GET requests.json?bbox=...&page_size=500 for viewports each holding about 500 public
  reports (a bbox: no default date window):
  at least 100 responses/s and p95 at most 100 ms;
- GET requests/{id}.json of random public reports: at least 400/s;
- POST requests.json (form-encoded, api_key, a point in the city, a service code): at least
  150/s, and at 1,000,000 not slower than at 100,000 (within noise: 85%).
Beside each, in the same run: the endpoint's own SQL (captured from SQLAlchemy through the
Flask test client, as the public map benchmark does) replayed by 4 processes with a psycopg
connection each; the ratio is what HTTP, gunicorn, Flask and the rendering add.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np
from sqlalchemy import text

from bench.database import bench_database_url, fresh_bench_database
from bench.open311_data import Box, City, load_city, public_ids, table_sizes, viewports
from bench.open311_load import Call, Outcome, Server, run_load, run_sql
from bench.public_map_data import CENTRE, METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LON
from bench.public_map_timing import StatementRecorder
from bench.registry import MISSED, OK, BenchOptions, Table, benchmark
from bench.wrk_load import available as wrk_available
from config import load_config
from feedbackgis import create_app
from feedbackgis.extensions import db
from tests.local_servers import RedisServer

CLIENTS = 4
VIEWPORTS, PER_VIEWPORT = 8, 500
RECORDED_IDS, RECORDED_POSTS = 200, 20
MAP_RATE, MAP_P95_MS, BY_ID_RATE, POST_RATE, POST_KEEPS = 100.0, 100.0, 400.0, 150.0, 0.85
BASE = "/open311/v2"
POST_DESCRIPTION = "Open311 bench report"
UNLIMITED = "1000000 per minute"
SETTINGS = {  # the served app's environment besides the database and Redis
    "FEEDBACKGIS_ENV": "development", "SECRET_KEY": "bench-secret-key",
    "OPEN311_KEY_RATE_LIMIT": UNLIMITED, "OPEN311_READ_RATE_LIMIT": UNLIMITED,
    "RATE_LIMIT_SUBMISSIONS": UNLIMITED,
    "RATE_LIMIT_UPLOADS": UNLIMITED, "RATE_LIMIT_FOLLOW_UPS": UNLIMITED,
}


@benchmark("open311")
def open311(options: BenchOptions) -> Table:
    generator = ("wrk, a connection" if wrk_available() else "a Python process")
    table = Table(f"Open311 GeoReport v2 through gunicorn, {CLIENTS} clients ({generator} "
                  "each)")
    post_rates: dict[int, float] = {}
    for count in options.open311_reports:
        post_rates[count] = run_size(table, count, options)
    sizes = sorted(post_rates)
    if len(sizes) > 1 and post_rates[sizes[0]] > 0:
        kept = post_rates[sizes[-1]] / post_rates[sizes[0]]
        table.add(f"POST rate at {sizes[-1]:,} / at {sizes[0]:,}", f"{kept:.2f}",
                  f">= {POST_KEEPS:.2f}", OK if kept >= POST_KEEPS else MISSED)
    table.notes += [
        f"{options.open311_seconds:g} s a row; gunicorn 2 workers x 2 threads (gthread, "
        "keep-alive); clients, server and PostgreSQL on the same cores",
        "`sql`: the endpoint's own statements replayed by 4 psycopg connections (a POST's "
        "as a new report each time), its rate and p50/p95; (x) = sql rate / endpoint rate"]
    return table


def run_size(table: Table, count: int, options: BenchOptions) -> float:
    """The three calls at `count` reports; the POST rate (0 when not available)."""
    say(f"creating the bench database, {count:,} reports")
    engine = fresh_bench_database()
    work = Path(tempfile.mkdtemp(prefix="feedbackgis-bench-open311-"))
    try:
        started = time.perf_counter()
        city = load_city(engine, count, CLIENTS)
        add_data_rows(table, count, city, table_sizes(engine), time.perf_counter() - started)
        boxes = viewports(engine, VIEWPORTS, PER_VIEWPORT, options.seed)
        ids = public_ids(engine, 2_000)
        with ExitStack() as stack:
            redis = RedisServer(work).start()
            stack.callback(redis.stop)
            settings = {**SETTINGS, "REDIS_URL": redis.url, "MEDIA_ROOT": str(work / "media"),
                        "DATABASE_URL": bench_database_url().render_as_string(False)}
            server = Server(settings, work / "gunicorn.log")
            stack.callback(server.stop)
            rig = Rig(table, count, options, server.wait_until_up().base, settings)
            stack.enter_context(rig.app.app_context())
            stack.callback(db.engine.dispose)
            rig.map_row(boxes)
            rig.by_id_row(ids)
            post_rate = rig.post_row(city)
    finally:
        engine.dispose()
    shutil.rmtree(work, ignore_errors=True)
    return post_rate


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def add_data_rows(table: Table, count: int, city: City, sizes: dict[str, int],
                  seconds: float) -> None:
    size = f"[{count:,}]"
    table.add(f"{size} reports: public (last 90 days)",
              f"{sizes['reports']:,}: {sizes['public']:,} ({sizes['public, last 90 days']:,})")
    table.add(f"{size} events (public replies), photos",
              f"{sizes['events']:,} ({sizes['public replies']:,}), {sizes['photos']:,}")
    table.add(f"{size} data generated in", f"{seconds:.0f} s")
    table.notes.append(f"{size} data: " + "; ".join(
        f"{step.strip()} {s:.0f} s" for step, s in city.load_s.items()))


class Rig:
    """One size's runs: the served app over HTTP, and an app of the bench's own (the same
    settings) whose test client records each call's statements for the SQL baseline."""

    def __init__(self, table: Table, count: int, options: BenchOptions, base: str,
                 settings: dict[str, str]) -> None:
        self.table, self.count, self.base = table, count, base
        self.seconds = options.open311_seconds
        self.rng = np.random.default_rng(options.seed + count)
        self.app = create_app(load_config("development", {**os.environ, **settings}))
        self.client = self.app.test_client()
        self.recorder: StatementRecorder | None = None

    def record(self, call: Call) -> tuple[list, object]:
        """The statements `call` sends (through the test client) and its response."""
        if self.recorder is None:
            self.recorder = StatementRecorder(db.engine)
        method, path, values = call
        with self.recorder.recording_one_request() as statements:
            if method == "POST":
                response = self.client.post(path, data=values)
            else:
                response = self.client.get(path, query_string=values)
        return list(statements), response

    def measure(self, name: str, calls: list[list[Call]], recorded: list, *,
                fresh_report: bool = False) -> tuple[Outcome, Outcome]:
        say(f"{self.count:,}: {name}, {self.seconds:g} s over HTTP")
        before = _bench_reports()
        endpoint = run_load(self.base, calls, self.seconds)
        if fresh_report:  # every POST answered 2xx stored its report (warm-ups too)
            stored = _bench_reports() - before
            answered = endpoint.statuses_2xx + endpoint.warm_ups
            # A request in flight when the load stopped may be stored unanswered.
            if not 0 <= stored - answered <= len(calls):
                self.table.notes.append(f"[{self.count:,}] {name}: {stored} reports stored "
                                        f"for {answered} answers 2xx")
        say(f"{self.count:,}: {name}, {self.seconds:g} s of its SQL")
        split = [recorded[k::CLIENTS] or recorded for k in range(CLIENTS)]
        sql = run_sql(split, self.seconds, fresh_report=fresh_report)
        for outcome, what in ((endpoint, "endpoint"), (sql, "sql")):
            if outcome.errors:
                self.table.notes.append(f"[{self.count:,}] {name} {what}: "
                                        f"{dict(outcome.statuses)}; {outcome.errors[0]}")
        return endpoint, sql

    def map_row(self, boxes: list[Box]) -> None:
        path = f"{BASE}/requests.json"
        calls = [("GET", path, {"bbox": box.param, "page_size": str(PER_VIEWPORT)})
                 for box in boxes]
        recorded, held, honoured = [], [], True
        for box, call in zip(boxes, calls, strict=True):
            statements, response = self.record(call)
            recorded.append(statements)
            answer = response.get_json() if response.status_code == 200 else []
            held.append(len(answer))
            # Before bbox was served, it was ignored: the answer was the whole city's.
            # Against the box as sent (its edges rounded to 6 decimals), not as drawn.
            west, south, east, north = (float(edge) for edge in box.param.split(","))
            honoured &= all(west <= r["long"] <= east and south <= r["lat"] <= north
                            for r in answer if r.get("long") is not None)
        endpoint, sql = self.measure("map query", [_rotated(calls, k) for k in range(CLIENTS)],
                                     recorded)
        label = (f"GET requests.json?bbox&page_size={PER_VIEWPORT}, {len(boxes)} viewports "
                 f"of ~{PER_VIEWPORT} (answers {min(held)}-{max(held)})")
        if not honoured:
            label += " [bbox NOT honoured yet]"
        p95 = (endpoint.p50_p95_ms() or (0.0, 0.0))[1]
        ok = honoured and endpoint.per_second >= MAP_RATE and p95 <= MAP_P95_MS
        self.add(label, endpoint, sql, f">= {MAP_RATE:.0f}/s, p95 <= {MAP_P95_MS:.0f} ms", ok)

    def by_id_row(self, ids: list[int]) -> None:
        calls = [("GET", f"{BASE}/requests/{report_id}.json", {}) for report_id in ids]
        recorded = [self.record(call)[0] for call in calls[:RECORDED_IDS]]
        endpoint, sql = self.measure("one request", [calls[k::CLIENTS] for k in range(CLIENTS)],
                                     recorded)
        self.add(f"GET requests/{{id}}.json, {len(ids):,} random public ids", endpoint, sql,
                 f">= {BY_ID_RATE:.0f}/s", endpoint.per_second >= BY_ID_RATE)

    def post_row(self, city: City) -> float:
        calls = [self.post_calls(city, key) for key in city.api_keys]
        label = "POST requests.json (form: api_key, lat/long, service_code, description)"
        probe_statements, probe = self.record(calls[0][0])
        if probe.status_code not in (200, 201):
            self.table.add(f"[{self.count:,}] {label}", f"not available ({probe.status_code})",
                           f">= {POST_RATE:.0f}/s", MISSED)
            return 0.0
        recorded = [(probe_statements, _created_id(probe))]
        for call in calls[1][:RECORDED_POSTS]:
            statements, response = self.record(call)
            recorded.append((statements, _created_id(response)))
        endpoint, sql = self.measure("POST", calls, recorded, fresh_report=True)
        self.add(label, endpoint, sql, f">= {POST_RATE:.0f}/s", endpoint.per_second >= POST_RATE)
        return endpoint.per_second

    def post_calls(self, city: City, api_key: str) -> list[Call]:
        """Reports at points spread over the city's inner 16 x 10 km, any service."""
        calls = []
        for k in range(2_000):
            dx, dy = self.rng.uniform(-8_000, 8_000), self.rng.uniform(-5_000, 5_000)
            calls.append(("POST", f"{BASE}/requests.json", {
                "api_key": api_key, "service_code": str(self.rng.choice(city.category_codes)),
                "lat": f"{CENTRE[1] + dy / METRES_PER_DEGREE_LAT:.6f}",
                "long": f"{CENTRE[0] + dx / METRES_PER_DEGREE_LON:.6f}",
                "description": f"{POST_DESCRIPTION} {k}: the streetlight is out."}))
        return calls

    def add(self, label: str, endpoint: Outcome, sql: Outcome, target: str, ok: bool) -> None:
        self.table.add(f"[{self.count:,}] {label}", _value(endpoint, sql), target,
                       OK if ok else MISSED)


def _bench_reports() -> int:
    count = db.session.scalar(text(f"SELECT count(*) FROM report WHERE description LIKE "
                                   f"'{POST_DESCRIPTION}%'"))  # noqa: S608 - a constant
    db.session.rollback()  # no transaction left open while the clients run
    return count


def _rotated(calls: list[Call], k: int) -> list[Call]:
    return calls[k % len(calls):] + calls[:k % len(calls)]


def _created_id(response) -> int | None:  # noqa: ANN001
    answer = response.get_json(silent=True)
    item = answer[0] if isinstance(answer, list) and answer else answer or {}
    found = str(item.get("service_request_id", "")) if isinstance(item, dict) else ""
    return int(found) if found.isdigit() else None


def _value(endpoint: Outcome, sql: Outcome) -> str:
    def pace(outcome: Outcome) -> str:
        measured = outcome.p50_p95_ms()
        if measured is None:
            return "   no answers"
        p50, p95 = measured
        return f"{outcome.per_second:6.0f}/s {p50:5.1f}/{p95:5.1f} ms"
    ratio = sql.per_second / endpoint.per_second if endpoint.per_second else float("nan")
    return f"{pace(endpoint)}  sql {pace(sql)} ({ratio:4.1f}x)"

"""The staff inbox at 1,000,000 reports: a unit's handler with 10,000 open reports opens the
first page of their inbox with filters, its counts included.

Target (from the issue): the first page with filters and counts, p95 at most 150 ms.
Each scenario is timed three ways: the service (services/staff/inbox.inbox_page: choices,
counts, the page's ids and its 50 reports, through SQLAlchemy), its SQL alone (the
statements it sent, replayed on a psycopg connection of their own), and the whole page
(GET /staff/ through the Flask test client: the schema, the service, the template). The
admin's rows show the same without a party to narrow it (no target: the issue's is the
unit's).
"""
from __future__ import annotations

import sys

from sqlalchemy import Engine, text
from werkzeug.datastructures import MultiDict

from bench.database import bench_database_url, fresh_bench_database
from bench.public_map_timing import StatementRecorder
from bench.registry import MISSED, OK, BenchOptions, Table, benchmark, percentiles_ms
from bench.staff_inbox_data import data_sizes, load_inbox_data
from bench.staff_page_timing import Timed
from bench.staff_page_timing import measure as timed
from config import load_config
from feedbackgis import create_app
from feedbackgis.extensions import db
from feedbackgis.models import StaffUser
from feedbackgis.schemas.staff_inbox import load_inbox_filter
from feedbackgis.services.staff.inbox import inbox_page

REPORTS = 1_000_000
P95_MS = 150.0
MIN_SAMPLES = 30

# (name, who, query): the query as the page's address carries it.
SCENARIOS = (
    ("open, newest first (the default)", "handler", {}),
    ("one category, late only, by due date", "handler", {"category": "1", "overdue": "1",
                                                         "sort": "due"}),
    ("assigned to me, by last update", "handler", {"person": "me", "sort": "updated"}),
    ("nobody's, older than 30 days, by category", "handler",
     {"person": "nobody", "min_age": "30", "sort": "category"}),
    ("one zone, in progress or waiting, by status", "handler",
     {"zone": "{zone}", "status": ["in_progress", "waiting"], "sort": "status"}),
    ("every status (50,000 reports), newest first", "handler", {"status": [
        "received", "triage", "assigned", "in_progress", "waiting", "fixed", "closed",
        "not_ours", "duplicate", "rejected", "withdrawn"]}),
    ("open, page 150 of 200", "handler", {"page": "150"}),
    ("admin: open of every unit (32,000), newest first", "admin", {}),
    ("admin: the unit's open, late only, by due date", "admin",
     {"party": "{party}", "overdue": "1", "sort": "due"}),
)



@benchmark("staff_inbox")
def staff_inbox(options: BenchOptions) -> Table:
    table = Table("staff inbox: the first page with filters and counts, 1,000,000 reports")
    say(f"creating the bench database, {REPORTS:,} reports")
    engine = fresh_bench_database()
    try:
        took = load_inbox_data(engine, REPORTS)
        add_data_rows(table, data_sizes(engine), took)
        app = create_app({**load_config("development"), "WTF_CSRF_ENABLED": False,
                          "DATABASE_URL": bench_database_url().render_as_string(False)})
        with app.app_context():
            try:
                run_scenarios(table, app, engine, max(MIN_SAMPLES, options.lookups // 20))
            finally:
                db.engine.dispose()
    finally:
        engine.dispose()
    table.notes.append(
        "p50 / p95 of the service; `sql` its statements replayed alone (p95, ratio service/sql"
        "); `page` GET /staff/ whole (p95); the target is the unit's handler's service p95")
    return table


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def add_data_rows(table: Table, sizes: dict[str, int], took: float) -> None:
    table.add("reports (open)", f"{sizes['reports']:,} ({sizes['open']:,})")
    table.add("the unit's reports (open, of them late)",
              f"{sizes['unit reports']:,} ({sizes['unit open']:,}, {sizes['unit overdue']:,})")
    table.add("ix_report_inbox size", f"{sizes['inbox index bytes'] / 1e6:,.0f} MB")
    table.add("bulk INSERT of the reports", f"{took:.1f} s")


def run_scenarios(table: Table, app, engine: Engine, samples: int) -> None:  # noqa: ANN001
    with engine.connect() as conn:
        party, zone = conn.execute(text(
            "SELECT p.id, min(z.id) FROM party p JOIN zone z ON z.party_id = p.id "
            "GROUP BY p.id ORDER BY p.id LIMIT 1")).one()
        handler_id = conn.execute(text(
            "SELECT min(id) FROM staff_user WHERE party_id = :p"), {"p": party}).scalar_one()
        admin_id = conn.execute(text(
            "SELECT id FROM staff_user WHERE role = 'admin'")).scalar_one()
    users = {"handler": handler_id, "admin": admin_id}
    recorder = StatementRecorder(db.engine)
    replay = engine.raw_connection()
    replay.driver_connection.autocommit = True
    try:
        for name, who, query in SCENARIOS:
            say(f"{name}")
            args = _args(query, party=party, zone=zone)
            timed = measure(app, recorder, replay.driver_connection.cursor(), users[who],
                            args, samples)
            add_row(table, name, who, timed)
    finally:
        replay.close()


def _args(query: dict, **ids: int) -> MultiDict[str, str]:
    pairs = []
    for key, value in query.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((key, one.format(**ids)))
    return MultiDict(pairs)


def _service(user_id: int, args: MultiDict[str, str]):  # noqa: ANN202
    try:
        user = db.session.get(StaffUser, user_id)
        return inbox_page(db.session, user, load_inbox_filter(args), "fi")
    finally:
        db.session.remove()


def measure(app, recorder: StatementRecorder, cursor, user_id: int,  # noqa: ANN001
            args: MultiDict[str, str], samples: int) -> Timed:
    return timed(app, recorder, cursor, lambda: _service(user_id, args),
                 (user_id, "/staff/", args), samples)


def add_row(table: Table, name: str, who: str, timed: Timed) -> None:
    p50, p95 = percentiles_ms(timed.service_ns, (50, 95))
    sql95 = percentiles_ms(timed.sql_ns, (95,))[0]
    page95 = percentiles_ms(timed.page_ns, (95,))[0]
    value = (f"{p50:6.1f} / {p95:6.1f} ms  sql {sql95:6.1f} ms ({p95 / sql95:4.1f}x)  "
             f"page {page95:6.1f} ms  {timed.total:>7,} reports")
    if who == "handler":
        table.add(f"[handler] {name}", value, f"p95 <= {P95_MS:.0f} ms",
                  OK if p95 <= P95_MS else MISSED)
    else:
        table.add(f"[{who}] {name}", value)

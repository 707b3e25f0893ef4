"""The contractor's work-order list at 1,000,000 reports: its 1,000 open work orders, the
first page (50) by due date, nearest first from the phone's position, and a later page.

Target (from the issue): the list, p95 at most 100 ms. Each scenario is timed three ways:
the service (services/work_orders/listing.work_order_list: the count, the page's rows and
their categories, through SQLAlchemy), its SQL alone (the statements it sent, replayed on
a psycopg connection of their own), and the whole page (GET /work/ through the Flask test
client: the schema, the service, the template with its map data). The target is the
whole page's p95, the stricter of them.
"""
from __future__ import annotations

import sys

from sqlalchemy import Engine, text

from bench.database import bench_database_url, fresh_bench_database
from bench.public_map_data import CENTRE
from bench.public_map_timing import StatementRecorder
from bench.registry import MISSED, OK, BenchOptions, Table, benchmark, percentiles_ms
from bench.staff_page_timing import Timed
from bench.staff_page_timing import measure as timed
from bench.work_orders_data import data_sizes, load_work_order_data
from config import load_config
from feedbackgis import create_app
from feedbackgis.extensions import db
from feedbackgis.models import StaffUser
from feedbackgis.services.work_orders.listing import work_order_list

REPORTS = 1_000_000
P95_MS = 100.0
MIN_SAMPLES = 30
HERE = {"lon": f"{CENTRE[0] + 0.01:.5f}", "lat": f"{CENTRE[1] + 0.005:.5f}"}

# (name, the page's query)
SCENARIOS = (
    ("by due date (no position), page 1", {}),
    ("nearest first, page 1", HERE),
    ("nearest first, page 20 of 20", {**HERE, "page": "20"}),
)



@benchmark("work_orders")
def work_orders(options: BenchOptions) -> Table:
    table = Table("work orders: a contractor's list of 1,000 open among 1,000,000 reports")
    say(f"creating the bench database, {REPORTS:,} reports")
    engine = fresh_bench_database()
    try:
        took = load_work_order_data(engine, REPORTS)
        sizes = data_sizes(engine)
        table.add("reports (open)", f"{sizes['reports']:,} ({sizes['open']:,})")
        table.add("the contractor's reports (open)",
                  f"{sizes['contractor reports']:,} ({sizes['contractor open']:,})")
        table.add("bulk INSERT of the reports", f"{took:.1f} s")
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
        "p50 / p95 of the service; `sql` its statements replayed alone (p95, ratio service/"
        "sql); `page` GET /work/ whole (p95), whose p95 the target is")
    return table


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_scenarios(table: Table, app, engine: Engine, samples: int) -> None:  # noqa: ANN001
    with engine.connect() as conn:
        user_id = conn.execute(text(
            "SELECT id FROM staff_user WHERE party_id = (SELECT min(id) FROM party)")
        ).scalar_one()
    recorder = StatementRecorder(db.engine)
    replay = engine.raw_connection()
    replay.driver_connection.autocommit = True
    try:
        for name, query in SCENARIOS:
            say(name)
            timed = measure(app, recorder, replay.driver_connection.cursor(), user_id, query,
                            samples)
            add_row(table, name, timed)
    finally:
        replay.close()


def _service(user_id: int, query: dict[str, str]):  # noqa: ANN202
    near = (float(query["lon"]), float(query["lat"])) if "lon" in query else None
    try:
        user = db.session.get(StaffUser, user_id)
        return work_order_list(db.session, user, language="fi", near=near,
                               page=int(query.get("page", 1)))
    finally:
        db.session.remove()


def measure(app, recorder: StatementRecorder, cursor, user_id: int,  # noqa: ANN001
            query: dict[str, str], samples: int) -> Timed:
    return timed(app, recorder, cursor, lambda: _service(user_id, query),
                 (user_id, "/work/", query), samples)


def add_row(table: Table, name: str, timed: Timed) -> None:
    p50, p95 = percentiles_ms(timed.service_ns, (50, 95))
    sql95 = percentiles_ms(timed.sql_ns, (95,))[0]
    page95 = percentiles_ms(timed.page_ns, (95,))[0]
    value = (f"{p50:6.1f} / {p95:6.1f} ms  sql {sql95:6.1f} ms ({p95 / sql95:4.1f}x)  "
             f"page {page95:6.1f} ms  {timed.total:>6,} work orders")
    table.add(name, value, f"page p95 <= {P95_MS:.0f} ms", OK if page95 <= P95_MS else MISSED)

"""The public map: viewports over a city of 100,000 (and, with --map-reports, 1,000,000)
published reports, from a whole city to a street on a phone, with and without filters.

Targets (from the issue): at every size, for every viewport and filter, the endpoint's p95
at most 100 ms and its answer at most 100 KB. Beside each: the endpoint's own SQL replayed
alone (the ratio is what Flask, the schemas and SQLAlchemy add), and the same cells counted
from the reports without map_cell (what the precomputation saves). Then what the triggers
cost a write, and the list view's pages.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from bench.database import bench_database_url, fresh_bench_database
from bench.public_map_data import (
    CENTRE,
    FILTERS,
    VIEWPORTS,
    LoadTimes,
    Viewport,
    create_categories,
    data_sizes,
    load_reports,
)
from bench.public_map_timing import Measured, Rig, StatementRecorder, measure, write_costs
from bench.registry import MISSED, OK, BenchOptions, Table, benchmark, percentiles_ms
from config import load_config
from feedbackgis import create_app
from feedbackgis.extensions import db

P95_MS = 100.0
MAX_BYTES = 100_000
LIST_PAGES = (("list, whole city, page 1", {}), ("list, whole city, page 200", {"page": "200"}),
              ("list, one category, 30 days", {"category": "potholes", "days": "30"}))


@benchmark("public_map")
def public_map(options: BenchOptions) -> Table:
    table = Table("public map: GET /api/v1/map/reports through the Flask test client")
    for count in options.map_reports:
        run_size(table, count, options)
    table.notes.append(
        "p50/p95 of the endpoint; `sql` its own statements replayed on a psycopg connection "
        "(ratio endpoint/sql at p95); `no cells` the same cells by GROUP BY over the reports "
        "on the GiST index, at most 5 samples")
    return table


def run_size(table: Table, count: int, options: BenchOptions) -> None:
    rng = np.random.default_rng(options.seed)
    say(f"creating the bench database, {count:,} reports")
    engine = fresh_bench_database()
    try:
        with sessionmaker(engine)() as session:
            create_categories(session)
            session.commit()
        loaded = load_reports(engine, count)
        add_data_rows(table, count, loaded, data_sizes(engine))
        app = create_app({**load_config("development"),
                          "DATABASE_URL": bench_database_url().render_as_string(False)})
        replay = engine.raw_connection()  # the SQL alone runs here, in autocommit
        replay.driver_connection.autocommit = True
        with app.app_context():
            try:
                rig = make_rig(app, engine, replay.driver_connection.cursor())
                samples = max(20, options.lookups // (len(VIEWPORTS) * len(FILTERS)))
                add_viewport_rows(table, count, rig, report_spots(engine, samples, rng), samples)
                add_list_rows(table, count, rig.client, samples)
                add_write_rows(table, count, engine, rig.category_ids)
            finally:
                replay.close()
                db.engine.dispose()
    finally:
        engine.dispose()


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def add_data_rows(table: Table, count: int, loaded: LoadTimes, sizes: dict[str, int]) -> None:
    size = f"{count:,}"
    table.add(f"[{size}] reports (on the map: published, pinned, not rejected)",
              f"{sizes['reports']:,} ({sizes['on the map']:,})")
    table.add(f"[{size}] map_cell rows, size (report table size)",
              f"{sizes['map_cell rows']:,}, {sizes['map_cell bytes'] / 1e6:,.0f} MB "
              f"({sizes['report bytes'] / 1e6:,.0f} MB)")
    table.add(f"[{size}] bulk INSERT of the reports; map_cells_rebuild()",
              f"{loaded.insert_s:.1f} s; {loaded.rebuild_s:.1f} s")


def make_rig(app, engine: Engine, cursor) -> Rig:  # noqa: ANN001
    recorder = StatementRecorder(db.engine)
    with engine.connect() as conn:
        category_ids = dict(conn.execute(text("SELECT code, id FROM category")).all())
    return Rig(client=app.test_client(), recorder=recorder, cursor=cursor,
               category_ids=category_ids)


def report_spots(engine: Engine, samples: int, rng: np.random.Generator
                 ) -> list[tuple[float, float]]:
    """Where people look: the places of random reports on the map (the dense centre most)."""
    with engine.connect() as conn:
        conn.execute(text("SELECT setseed(:s)"), {"s": float(rng.uniform(-1, 1))})
        return [tuple(r) for r in conn.execute(text(
            "SELECT ST_X(location), ST_Y(location) FROM report TABLESAMPLE BERNOULLI (5) "
            "WHERE is_public AND status <> 'rejected' ORDER BY random() LIMIT :n"),
            {"n": samples * 4})]


def centres_for(viewport: Viewport, spots: list[tuple[float, float]], samples: int,
                rng: np.random.Generator) -> list[tuple[float, float]]:
    if viewport.around_reports:
        picks = rng.choice(len(spots), size=samples)
        return [spots[k] for k in picks]
    # Whole-city views: the city centre, panned a little.
    return [(CENTRE[0] + rng.uniform(-0.01, 0.01), CENTRE[1] + rng.uniform(-0.005, 0.005))
            for _ in range(samples)]


def add_viewport_rows(table: Table, count: int, rig: Rig, spots: list[tuple[float, float]],
                      samples: int) -> None:
    rng = np.random.default_rng(count)
    for viewport in VIEWPORTS:
        for filter_name, params in FILTERS.items():
            say(f"{count:,}: {viewport.name}, {filter_name}")
            centres = centres_for(viewport, spots, samples, rng)
            row = ViewportRow(viewport.name, filter_name, measure(rig, viewport, params, centres))
            table.add(f"[{count:,}] {row.viewport} | {row.filter_name}", row.value(),
                      f"p95 <= {P95_MS:.0f} ms, <= {MAX_BYTES // 1000} KB", row.verdict())


@dataclass(frozen=True)
class ViewportRow:
    viewport: str
    filter_name: str
    measured: Measured

    def value(self) -> str:
        m = self.measured
        p50, p95 = percentiles_ms(m.endpoint_ns, (50, 95))
        sql95 = percentiles_ms(m.sql_ns, (95,))[0]
        kind = (f"cells (grid {'/'.join(map(str, sorted(m.grid_zooms)))})" if m.clustered
                else "points")
        if m.clustered and m.clustered < len(m.endpoint_ns):
            kind += f" + {len(m.endpoint_ns) - m.clustered} points"
        if m.truncated:
            kind += f", {m.truncated} truncated"
        without = (f"{percentiles_ms(m.without_cells_ns, (95,))[0]:,.0f} ms"
                   if m.without_cells_ns else "-")
        return (f"{p50:6.1f} / {p95:6.1f} ms  {max(m.bytes) / 1000:5.1f} KB  "
                f"sql {sql95:5.1f} ms ({p95 / sql95:4.1f}x)  no cells {without:>8}  {kind:<34}")

    def verdict(self) -> str:
        p95 = percentiles_ms(self.measured.endpoint_ns, (95,))[0]
        return OK if p95 <= P95_MS and max(self.measured.bytes) <= MAX_BYTES else MISSED


def add_list_rows(table: Table, count: int, client, samples: int) -> None:  # noqa: ANN001
    for name, params in LIST_PAGES:
        timings, sizes = [], []
        for _ in range(samples):
            started = time.perf_counter_ns()
            response = client.get("/api/v1/reports", query_string={"lang": "fi", **params})
            timings.append(time.perf_counter_ns() - started)
            sizes.append(len(response.data))
        p50, p95 = percentiles_ms(timings, (50, 95))
        table.add(f"[{count:,}] {name}", f"{p50:6.1f} / {p95:6.1f} ms  "
                                         f"{max(sizes) / 1000:5.1f} KB max")


def add_write_rows(table: Table, count: int, engine: Engine, category_ids: dict[str, int]
                   ) -> None:
    say(f"{count:,}: write costs")
    costs = write_costs(engine, min(category_ids.values()), samples=100, bulk_rows=10_000)
    for kind in ("insert", "fix", "delete"):
        with_p = percentiles_ms(costs.with_triggers_ns[kind], (50, 95))
        without_p = percentiles_ms(costs.without_triggers_ns[kind], (50, 95))
        table.add(f"[{count:,}] one report's {kind}, p50 / p95: with the map's triggers "
                  "(without)", f"{with_p[0]:.2f} / {with_p[1]:.2f} ms "
                               f"({without_p[0]:.2f} / {without_p[1]:.2f} ms)")
    table.add(f"[{count:,}] one INSERT of {costs.bulk_rows:,} reports through the trigger",
              f"{costs.bulk_insert_s:.1f} s")

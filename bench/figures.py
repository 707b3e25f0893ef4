"""The managers' figures at 1,000,000 reports (bench/figures_data.py): the dashboard, the
heatmap, the exports, the hot spots and the refresh of the rollups.

Targets (from the issue): the dashboard's figures of a year p95 at most 500 ms, the service
(services/analytics/dashboard.dashboard_figures) and the whole page (GET /staff/dashboard
through the Flask test client, signed in as a manager); a city-wide heatmap at most 5 s; a
CSV export of 100,000 reports at most 10 s and a GeoPackage of them at most 15 s; the
hot-spot job at most 60 s; a worker's memory at most 300 MB throughout. The refresh of
every rollup and the 5-minute refresh after 100 reports of this month changed are timed
without a target.

The baseline, measured in the same run: the same figures straight from the report table,
without the rollups (bench/figures_baseline.py, one GROUP BY with percentile_cont); the
benchmark also checks that both give the same totals and percentiles.

The heavy jobs (refreshes, heatmaps, exports, hot spots) each run in a fresh process as a
worker runs them (bench/figures_jobs.py), whose peak RSS (VmHWM) is the memory figure.
`--figure-reports N` makes a smaller city to develop with (default 1,000,000). The samples
(--lookups / 20 of the dashboard, / 200 of the baseline) stop after a minute per scenario
once there are ten (three of the baseline), so a slow service does not take an hour.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime

from sqlalchemy import Engine, text

from bench.database import bench_database_url, fresh_bench_database
from bench.figures_baseline import Period, figures_from_reports
from bench.figures_data import data_sizes, load_figures_data, spots_for
from bench.figures_files import FileJobs
from bench.registry import MISSED, OK, BenchOptions, Table, benchmark, percentiles_ms
from bench.staff_page_timing import WARM_UP, page_times
from config import load_config
from feedbackgis import create_app
from feedbackgis.domain.months import add_months, current_month
from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.extensions import db
from feedbackgis.services.analytics.dashboard import Dashboard, FigureFilters, dashboard_figures

DASHBOARD_P95_MS = 500.0
SAMPLE_BUDGET_S = 60.0  # per scenario: fewer samples (at least MIN_SAMPLES) when slow
MIN_SAMPLES = 10
MIN_BASELINE_SAMPLES = 3
PAGE = "/staff/dashboard"
CHANGED_REPORTS = 100

# (name, months back from this one, the unit's scope, the first category only, targeted)
SCENARIOS = (
    ("a year, every party (a manager)", 12, False, False, True),
    ("a year, one unit (its handler)", 12, True, False, False),
    ("four years, one category", 48, False, True, False),
)


@benchmark("figures")
def figures(options: BenchOptions) -> Table:
    count = options.figure_reports
    table = Table(f"managers' figures: dashboard, heatmap, exports, hot spots, {count:,} reports")
    say(f"creating the bench database, {count:,} reports")
    engine = fresh_bench_database()
    folder = tempfile.mkdtemp(prefix="feedbackgis-bench-exports-")
    url = bench_database_url().render_as_string(hide_password=False)
    jobs = FileJobs(engine, {"DATABASE_URL": url, "EXPORT_FOLDER": folder})
    try:
        took = load_figures_data(engine, count, options.seed)
        add_data_rows(table, data_sizes(engine), took, spots_for(count))
        say("refresh_all_figures")
        jobs.timed_row(table, "refresh_all_figures (every rollup, nightly)", "refresh_all", {})
        app = create_app({**load_config("development"), "DATABASE_URL": url,
                          "EXPORT_FOLDER": folder})
        with app.app_context():
            try:
                run_dashboard(table, app, engine, options.lookups)
                run_changed_refresh(table, engine, jobs)
                jobs.heavy_rows(table, this_month_now(), app.config["TIMEZONE"])
            finally:
                db.session.remove()
                db.engine.dispose()
        jobs.memory_row(table)
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    table.notes.append(
        "dashboard rows: p50 / p95 of the service; `from reports` the same figures computed "
        "from the report table (p95, and how many times slower); `page` GET /staff/dashboard "
        "whole (p95)")
    table.notes.append("each job ran in a fresh worker-like process; `peak` is its VmHWM")
    return table


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def this_month_now() -> date:
    return current_month(datetime.now(UTC), load_config("development")["TIMEZONE"])


def add_data_rows(table: Table, sizes: dict[str, int], took: float, spots: int) -> None:
    table.add("reports (the last 12 months; open)",
              f"{sizes['reports']:,} ({sizes['last 12 months']:,}; {sizes['open']:,})")
    table.add("fixed / reopened / duplicates",
              f"{sizes['fixed']:,} / {sizes['reopened']:,} / {sizes['duplicates']:,}")
    table.add("problem spots (30% of the reports at them)", f"{spots:,}")
    table.add("bulk INSERT of the reports", f"{took:.1f} s")


# --- the dashboard ---------------------------------------------------------------------------

def run_dashboard(table: Table, app, engine: Engine, lookups: int) -> None:  # noqa: ANN001
    samples = max(30, lookups // 20)
    baseline_samples = max(5, lookups // 200)
    time_zone = app.config["TIMEZONE"]
    this_month = this_month_now()
    with engine.connect() as conn:
        unit = conn.execute(text("SELECT min(id) FROM party WHERE kind = 'unit'")).scalar_one()
        category = conn.execute(text("SELECT min(id) FROM category")).scalar_one()
        manager = conn.execute(text(
            "SELECT id FROM staff_user WHERE role = 'manager'")).scalar_one()
    agreed = 0
    for name, months, narrowed, one_category, targeted in SCENARIOS:
        say(f"dashboard: {name}")
        filters = FigureFilters(first_month=add_months(this_month, 1 - months),
                                last_month=this_month,
                                category_id=category if one_category else None)
        scope = StatisticsScope(party_id=unit if narrowed else None)
        service_ns, figures = time_service(filters, scope, samples)
        period = Period(filters.first_month, filters.last_month,
                        party_id=scope.party_id, category_id=filters.category_id)
        baseline_ns, agrees = time_baseline(engine, period, time_zone, figures,
                                            baseline_samples)
        add_dashboard_row(table, name, service_ns, baseline_ns, figures, targeted)
        agreed += agrees
        if targeted:
            page_samples = within_budget(samples, service_ns)
    table.add("rollups = reports: totals, medians and p90s of the handling times",
              f"equal in {agreed} of {len(SCENARIOS)}", "equal in all",
              OK if agreed == len(SCENARIOS) else MISSED)
    page_row(table, app, manager, page_samples)


def _dashboard(filters: FigureFilters, scope: StatisticsScope) -> Dashboard:
    try:
        return dashboard_figures(db.session, filters, scope, "fi")
    finally:
        db.session.remove()


def time_service(filters: FigureFilters, scope: StatisticsScope,
                 samples: int) -> tuple[list[int], Dashboard]:
    for _ in range(WARM_UP):
        figures = _dashboard(filters, scope)
    timings: list[int] = []
    began = time.perf_counter()
    while len(timings) < samples and (len(timings) < MIN_SAMPLES
                                      or time.perf_counter() - began < SAMPLE_BUDGET_S):
        started = time.perf_counter_ns()
        _dashboard(filters, scope)
        timings.append(time.perf_counter_ns() - started)
    return timings, figures


def within_budget(samples: int, timings_ns: list[int]) -> int:
    """As many samples as fit the budget at the pace of `timings_ns` (at least the minimum)."""
    pace_s = max(1e-3, sorted(timings_ns)[len(timings_ns) // 2] / 1e9)
    return max(MIN_SAMPLES, min(samples, int(SAMPLE_BUDGET_S / pace_s)))


def time_baseline(engine: Engine, period: Period, time_zone: str, figures: Dashboard,
                  samples: int) -> tuple[list[int], bool]:
    timings = []
    with engine.connect() as conn:
        total = figures_from_reports(conn, period, time_zone)  # a warm-up, and the check
        conn.rollback()
        began = time.perf_counter()
        while len(timings) < samples and (len(timings) < MIN_BASELINE_SAMPLES
                                          or time.perf_counter() - began < SAMPLE_BUDGET_S):
            started = time.perf_counter_ns()
            figures_from_reports(conn, period, time_zone)
            timings.append(time.perf_counter_ns() - started)
            conn.rollback()
    line = figures.total
    agrees = (total.reports == line.counts["reports"]
              and _same(total.response, (line.response.median, line.response.p90))
              and _same(total.fixed, (line.fixed.median, line.fixed.p90)))
    if not agrees:
        say(f"DIFFERENT: from reports {total}, rollups {line}")
    return timings, agrees


def _same(a: tuple[float | None, ...], b: tuple[float | None, ...]) -> bool:
    def equal(x: float | None, y: float | None) -> bool:
        return x == y if x is None or y is None else abs(x - y) < 1e-9

    return all(equal(x, y) for x, y in zip(a, b, strict=True))


def add_dashboard_row(table: Table, name: str, service_ns: list[int], baseline_ns: list[int],
                      figures: Dashboard, targeted: bool) -> None:
    p50, p95 = percentiles_ms(service_ns, (50, 95))
    base95 = percentiles_ms(baseline_ns, (95,))[0]
    value = (f"{p50:6.1f} / {p95:6.1f} ms  from reports {base95:8.1f} ms "
             f"({base95 / p95:5.1f}x)  {figures.total.counts['reports']:>9,} reports, "
             f"{len(service_ns)}/{len(baseline_ns)} samples")
    if targeted:
        table.add(f"dashboard: {name}", value, f"p95 <= {DASHBOARD_P95_MS:.0f} ms",
                  OK if p95 <= DASHBOARD_P95_MS else MISSED)
    else:
        table.add(f"dashboard: {name}", value)


def page_row(table: Table, app, manager: int, samples: int) -> None:  # noqa: ANN001
    metric = f"page: GET {PAGE}, a year, as a manager"
    if "staff.dashboard" not in app.view_functions:
        table.add(metric, "not available yet (no endpoint staff.dashboard)")
        return
    say("the dashboard page")
    p50, p95 = percentiles_ms(page_times(app, manager, PAGE, {}, samples), (50, 95))
    table.add(metric, f"{p50:6.1f} / {p95:6.1f} ms", f"p95 <= {DASHBOARD_P95_MS:.0f} ms",
              OK if p95 <= DASHBOARD_P95_MS else MISSED)


# --- the 5-minute refresh ------------------------------------------------------------------

def run_changed_refresh(table: Table, engine: Engine, jobs: FileJobs) -> None:
    """The newest 100 reports (this month's, when it has that many) change, as a handler's
    work changes them; then the 5-minute job counts their months again."""
    with engine.begin() as conn:
        changed = conn.execute(text("""
            UPDATE report SET status = 'in_progress',
                              first_response_at = coalesce(first_response_at, now()),
                              updated_at = now()
            WHERE id IN (SELECT id FROM report ORDER BY created_at DESC LIMIT :n)
        """), {"n": CHANGED_REPORTS}).rowcount
    say("refresh_changed_figures")
    result = jobs.timed_row(table, f"refresh_changed_figures ({changed} reports changed)",
                            "refresh_changed", {})
    if result is not None:
        table.add("  months it counted again", ", ".join(result["said"]["months"]) or "none")

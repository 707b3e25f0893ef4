"""The figures benchmark's heavy jobs: each run in its own worker-like process
(bench/figures_jobs.py), timed, with its peak memory kept for the table's memory row.

The heatmaps and exports go the way a manager's ask goes: services/analytics/
prepared_files.request_file writes the file's row (in the parent, untimed), and the job a
worker would run (jobs/prepared_files.prepare_file) makes it in the child. The hot spots
run the nightly job itself (jobs/maintenance.find_hot_spots).
"""
from __future__ import annotations

import sys
from datetime import date
from typing import Any

from sqlalchemy import Engine, text

from bench.figures_jobs import run_job_process
from bench.registry import MISSED, OK, Table
from feedbackgis.domain.months import add_months

PEAK_RSS_MB = 300.0
HEATMAP_S = 5.0
CSV_S, GPKG_S = 10.0, 15.0
HOT_SPOTS_S = 60.0
EXPORT_REPORTS = 100_000
NOT_YET = "not available yet"


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class FileJobs:
    def __init__(self, engine: Engine, env: dict[str, str]) -> None:
        self.engine, self.env = engine, env
        self.peaks: dict[str, float] = {}  # the row's metric -> the job's peak RSS, MB

    def timed_row(self, table: Table, metric: str, job: str, params: dict[str, Any],
                  limit_s: float | None = None, extra: str = "") -> dict[str, Any] | None:
        """Run the job; a row of its time (against `limit_s`) and peak memory. None when
        its code is not there yet (the row says so)."""
        result = run_job_process(job, params, self.env)
        if "missing" in result:
            table.add(metric, f"{NOT_YET} ({result['missing'][:70]})")
            return None
        if "failed" in result:
            table.add(metric, f"the job FAILED: {result['failed'][:90]}", _target(limit_s),
                      MISSED)
            return None
        self.peaks[metric] = result["peak_mb"]
        said = result.get("said") or {}
        failed = said.get("state") not in (None, "done")
        value = (f"{result['seconds']:8.2f} s  peak {result['peak_mb']:4.0f} MB "
                 f"({result['peak_mb'] - result['at_rest_mb']:+4.0f})"
                 f"{extra}{_file_size(said)}")
        if failed:
            error = str(said.get("error")).splitlines()[0][:60]
            table.add(metric, f"{value}  the file FAILED: {error}",
                      _target(limit_s), MISSED)
        elif limit_s is None:
            table.add(metric, value)
        else:
            table.add(metric, value, _target(limit_s),
                      OK if result["seconds"] <= limit_s else MISSED)
        return result

    def heavy_rows(self, table: Table, this_month: date, time_zone: str) -> None:
        """The heatmaps, the exports and the hot spots (inside the app's context)."""
        from feedbackgis.models import FileKind

        for label, months in (("the last 12 months", 12), ("four years, every report", 48)):
            first = add_months(this_month, 1 - months)
            self.file_row(table, f"heatmap, city-wide, {label}", FileKind.HEATMAP, first,
                          this_month, HEATMAP_S)
        first = self.period_of(this_month, EXPORT_REPORTS, time_zone)
        for kind, limit in ((FileKind.CSV, CSV_S), (FileKind.GPKG, GPKG_S)):
            self.file_row(table, f"export {kind.value.upper()}", kind, first, this_month,
                          limit, with_count=True)
        say("hot spots")
        result = self.timed_row(table, "hot-spot job (nightly, the last 12 months)",
                                "hot_spots", {}, HOT_SPOTS_S)
        if result is not None:
            table.add("  hot spots found (reports in them)", self.hot_spot_sizes())

    def file_row(self, table: Table, metric: str, kind: Any, first: date, last: date,  # noqa: ANN401
                 limit_s: float, *, with_count: bool = False) -> None:
        say(metric)
        try:
            file_id, reports = self.request(kind, first, last)
        except ImportError as missing:
            table.add(metric, f"{NOT_YET} ({str(missing)[:70]})")
            return
        if with_count:
            metric = f"{metric}, {reports:,} reports"
        self.timed_row(table, metric, "prepared_file", {"file_id": file_id}, limit_s)

    def request(self, kind: Any, first: date, last: date) -> tuple[int, int]:  # noqa: ANN401
        """The manager asks for the file of the months first..last: its id, and how many
        reports it holds."""
        from flask import current_app
        from sqlalchemy import select

        from feedbackgis.extensions import db
        from feedbackgis.models import StaffUser
        from feedbackgis.services.analytics.dashboard import FigureFilters
        from feedbackgis.services.analytics.prepared_files import matching_reports, request_file

        try:
            manager = db.session.scalars(select(StaffUser).where(
                StaffUser.email == "manager@bench.example")).one()
            filters = FigureFilters(first_month=first, last_month=last)
            time_zone = current_app.config["TIMEZONE"]
            prepared = request_file(db.session, manager, kind, filters, language="fi",
                                    time_zone=time_zone)
            return prepared.id, matching_reports(db.session, manager, filters, time_zone)
        finally:
            db.session.remove()

    def period_of(self, this_month: date, reports: int, time_zone: str) -> date:
        """The first month of the shortest period up to this month with at least `reports`
        reports (or all of them, when there are fewer)."""
        with self.engine.connect() as conn:
            counts = conn.execute(text(
                "SELECT date_trunc('month', created_at AT TIME ZONE :tz)::date, count(*) "
                "FROM report GROUP BY 1 ORDER BY 1 DESC"), {"tz": time_zone}).all()
        total, first = 0, this_month
        for month, count in counts:
            total, first = total + count, month
            if total >= reports:
                break
        return first

    def hot_spot_sizes(self) -> str:
        with self.engine.connect() as conn:
            spots, reports, biggest, median = conn.execute(text(
                "SELECT count(*), coalesce(sum(report_count), 0), coalesce(max(report_count), 0),"
                " percentile_disc(0.5) WITHIN GROUP (ORDER BY report_count) FROM hot_spot"
            )).one()
        return f"{spots:,} ({reports:,}; the biggest {biggest}, median {median})"

    def memory_row(self, table: Table) -> None:
        if not self.peaks:
            table.add("worker peak RSS, the largest of the jobs", NOT_YET)
            return
        metric, peak = max(self.peaks.items(), key=lambda item: item[1])
        table.at_most(f"worker peak RSS, the largest of the jobs ({metric.strip()})", peak,
                      PEAK_RSS_MB, " MB", digits=0)


def _target(limit_s: float | None) -> str:
    return "" if limit_s is None else f"<= {limit_s:.0f} s"


def _file_size(said: dict[str, Any]) -> str:
    size = said.get("bytes")
    return f"  {size / 1e6:6.1f} MB file" if size else ""

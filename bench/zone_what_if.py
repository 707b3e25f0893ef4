"""The routing what-if: a 500-zone upload previewed over the latest 10,000 reports.

The city has the zone_routing benchmark's zones (--zones, 10,000 by default) and 30,000
reports; a contractor's new contract (500 zones: maintenance cells and contract areas,
replacing its zones) is previewed as the admin page and `zones what-if` preview it
(services/zones/upload_preview.py: read and plan the file, route the latest 10,000 reports
with today's zones and with the upload, in a savepoint rolled back).

Target (from the issue): the what-if over the latest 10,000 reports for a 500-zone upload
at most 5 s; measured here as the whole preview (the file read and planned too). Baselines
measured in the same run: routing the same reports against today's zones in one query
(what the what-if does twice), and report by report through find_routing (assign_report's
lookup). Checks: the what-if's "before" is find_routing's answer for every report, and its
"after" is find_routing's once the upload is really imported.
"""
from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.database import fresh_bench_database
from bench.registry import MISSED, OK, BenchOptions, Table, benchmark
from bench.zone_data import CRS, generate_zones, write_geopackage
from bench.zone_routing import create_catalog, timed_import, vacuum_analyze
from feedbackgis.geo.crs import WGS84, crs_from_user_input, transformer
from feedbackgis.models import Party, Report
from feedbackgis.repositories.zones import latest_reports_to_route
from feedbackgis.services.reports.routing import find_routing
from feedbackgis.services.zones.routing_what_if import RoutingWhatIf, route_reports
from feedbackgis.services.zones.upload_preview import ZoneImportPreview, preview_zone_import
from feedbackgis.services.zones.zone_import import (
    ZoneImportOptions,
    import_zones,
    plan_zone_import,
)

UPLOAD_ZONES = 500
LATEST = 10_000
REPORTS = 30_000
UPLOADER = "Contractor 09"  # one of bench.zone_data's parties
WHAT_IF_SECONDS = 5.0
RUNS = 3  # measured, after one warm-up

GENERATE_REPORTS = """
INSERT INTO report (category_id, location, address, description, status, is_public,
                    follow_up_nonce, follow_up_token_hash, created_at)
SELECT c.ids[1 + floor(random() * array_length(c.ids, 1))::int],
       CASE WHEN random() < 0.02 THEN NULL  -- an address only, no point
            ELSE ST_SetSRID(ST_MakePoint(:west + random() * (:east - :west),
                                         :south + random() * (:north - :south)), 4326) END,
       'Mannerheimintie ' || k, 'Bench report ' || k, 'received', false,
       md5('nonce' || k), md5('token' || k), now() - make_interval(mins => :n - k)
FROM generate_series(1, :n) AS k
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM category) AS c
ORDER BY k
"""


@benchmark("zone_what_if")
def zone_what_if(options: BenchOptions) -> Table:
    rng = np.random.default_rng(options.seed)
    city = generate_zones(options.zones, rng)
    upload = generate_zones(UPLOAD_ZONES, rng)
    upload = dataclasses.replace(upload, parties=[UPLOADER] * len(upload))
    say("creating the bench database")
    engine = fresh_bench_database()
    new_session = sessionmaker(engine, expire_on_commit=False)
    try:
        with TemporaryDirectory(prefix="feedbackgis-bench-") as tmp:
            city_path, upload_path = Path(tmp) / "city.gpkg", Path(tmp) / "upload.gpkg"
            write_geopackage(city, city_path)
            write_geopackage(upload, upload_path)
            with new_session() as session:
                create_catalog(session)
                timed_import(session, city_path)
            load_reports(engine, city.bounds)
            vacuum_analyze(engine)
            with new_session() as session:
                return measure(session, upload_path, options)
    finally:
        engine.dispose()


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def load_reports(engine: Engine, bounds_3067: tuple[float, float, float, float]) -> None:
    west, south, east, north = bounds_3067
    to_lonlat = transformer(crs_from_user_input(CRS), crs_from_user_input(WGS84))
    (lon0, lon1), (lat0, lat1) = to_lonlat.transform([west, east], [south, north])
    say(f"inserting {REPORTS:,} reports")
    with engine.begin() as conn:
        conn.execute(text("SELECT setseed(0.42)"))
        conn.execute(text("ALTER TABLE report DISABLE TRIGGER map_cells_on_insert"))
        conn.execute(text(GENERATE_REPORTS), {"n": REPORTS, "west": lon0, "east": lon1,
                                              "south": lat0, "north": lat1})
        conn.execute(text("ALTER TABLE report ENABLE TRIGGER map_cells_on_insert"))


def upload_options() -> ZoneImportOptions:
    return ZoneImportOptions(party_field="party", categories_field="categories",
                             priority_field="priority", name_field="name", replace=True)


def timed_preview(session: Session, path: Path, at: datetime
                  ) -> tuple[ZoneImportPreview, float]:
    started = time.perf_counter()
    preview = preview_zone_import(session, path, upload_options(), what_if_reports=LATEST,
                                  language="fi", at=at)
    seconds = time.perf_counter() - started
    session.rollback()
    return preview, seconds


def measure(session: Session, path: Path, options: BenchOptions) -> Table:
    at = datetime.now(UTC)
    say(f"previewing the upload {RUNS + 1} times")
    runs = [timed_preview(session, path, at) for _ in range(RUNS + 1)][1:]
    preview = runs[0][0]
    started = time.perf_counter()
    plan_zone_import(session, path, upload_options())
    plan_seconds = time.perf_counter() - started
    session.rollback()
    say("the baselines: one query, then report by report")
    reports = latest_reports_to_route(session, LATEST)
    started = time.perf_counter()
    batch = route_reports(session, reports, at)
    batch_seconds = time.perf_counter() - started
    started = time.perf_counter()
    one_by_one = routed_one_by_one(session, [r.id for r in reports], at)
    one_by_one_seconds = time.perf_counter() - started
    before_mismatches = sum(batch[i].party_id != party for i, party in one_by_one.items())
    say("importing the upload for real, and routing every report again")
    import_zones(session, path, upload_options())
    after_mismatches = after_disagreements(session, preview.what_if, one_by_one, at)
    return result_table(preview, [s for _p, s in runs], plan_seconds, batch_seconds,
                        one_by_one_seconds, before_mismatches, after_mismatches, len(reports),
                        options)


def routed_one_by_one(session: Session, report_ids: list[int], at: datetime
                      ) -> dict[int, int | None]:
    reports = session.scalars(select(Report).where(Report.id.in_(report_ids))).all()
    return {r.id: find_routing(session, r, at).party_id for r in reports}


def after_disagreements(session: Session, what_if: RoutingWhatIf,
                        before: dict[int, int | None], at: datetime) -> int:
    """Reports whose party after the real import is not what the what-if said."""
    names = dict(session.execute(select(Party.id, Party.name)).all())
    after = routed_one_by_one(session, list(before), at)
    predicted = {c.report_id: c.party_after for c in what_if.changes}
    wrong = 0
    for report_id, party_id in after.items():
        expected = predicted.get(report_id, names.get(before[report_id]))
        wrong += names.get(party_id) != expected
    return wrong


def result_table(preview: ZoneImportPreview, seconds: list[float], plan_seconds: float,
                 batch_seconds: float, one_by_one_seconds: float, before_mismatches: int,
                 after_mismatches: int, routed: int, options: BenchOptions) -> Table:
    table = Table(f"zone what-if: a {UPLOAD_ZONES}-zone upload over the latest "
                  f"{LATEST:,} reports")
    table.add("zones now / reports in the database", f"{options.zones:,} / {REPORTS:,}")
    table.add(f"upload: zones for {UPLOADER!r}, replacing its zones",
              f"{preview.importable:,} (replacing {sum(preview.replaced.values()):,})")
    table.add("reports routed both ways", f"{routed:,}")
    table.add("reports that would change party", f"{preview.what_if.changed:,}")
    table.add("preview (read, plan, what-if), median", f"{statistics.median(seconds):.2f} s")
    table.at_most(f"preview, slowest of {len(seconds)}", max(seconds), WHAT_IF_SECONDS, " s")
    table.add("of which reading and planning the file", f"{plan_seconds:.2f} s")
    table.add("baseline: the same reports routed in one query (today's zones)",
              f"{batch_seconds:.2f} s")
    table.add("baseline: report by report, find_routing", f"{one_by_one_seconds:.2f} s")
    table.add("what-if 'before' unlike find_routing", f"{before_mismatches:,}", "0",
              OK if before_mismatches == 0 else MISSED)
    table.add("what-if 'after' unlike find_routing once imported", f"{after_mismatches:,}",
              "0", OK if after_mismatches == 0 else MISSED)
    table.notes.append(f"upload: {preview.crs}; {preview.densified}")
    table.notes.append(f"{RUNS} previews measured after a warm-up; each rolls back")
    return table

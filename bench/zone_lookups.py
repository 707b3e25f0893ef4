"""Lookup points and the timing of one lookup two ways: through the service, and as raw SQL.

`find_routing` is the lookup `assign_report` makes (assign_report adds only the event and
outbox writes). The raw SQL is the same question asked directly on the session's own
psycopg connection, with the tie-break done by ORDER BY ... LIMIT 1 in the database.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.zone_data import CRS, ZoneSet
from feedbackgis.geo.convert import point, to_db
from feedbackgis.geo.crs import WGS84, crs_from_user_input, transformer
from feedbackgis.models import Category, Report, Zone
from feedbackgis.services.reports.routing import find_routing

INSIDE_CONTRACT_SHARE = 0.2  # points drawn inside a contract area
ON_CORNER_SHARE = 0.05  # points on a stored cell corner: on the edges of up to four cells
WARM_UP = 200
ANYWHERE, IN_CONTRACT_AREA, ON_CELL_CORNER = "anywhere", "in contract area", "on cell corner"
KINDS = (ANYWHERE, IN_CONTRACT_AREA, ON_CELL_CORNER)

RAW_LOOKUP = """
SELECT z.id, z.party_id
FROM zone z
JOIN (SELECT DISTINCT zone_id FROM zone_part
      WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))) AS hit
  ON hit.zone_id = z.id
JOIN party p ON p.id = z.party_id
WHERE p.active
  AND (z.all_categories OR EXISTS (SELECT 1 FROM zone_category zc
                                   WHERE zc.zone_id = z.id AND zc.category_id = %(category)s))
  AND (z.valid_from IS NULL OR z.valid_from <= %(at)s)
  AND (z.valid_to IS NULL OR z.valid_to > %(at)s)
ORDER BY z.priority DESC, z.area_m2, z.id
LIMIT 1
"""


@dataclass(frozen=True)
class Lookup:
    lon: float
    lat: float
    category: Category
    kind: str  # one of KINDS


@dataclass
class Timings:
    service_ns: list[int] = field(default_factory=list)
    raw_ns: list[int] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)
    candidates: list[int] = field(default_factory=list)


def lookup_points(session: Session, zones: ZoneSet, count: int, rng: np.random.Generator
                  ) -> list[Lookup]:
    """`count` points: most anywhere in the extent, some inside contract areas, a few on
    cell corners exactly as stored (where the edge rules and tie-breaks decide)."""
    inside = round(count * INSIDE_CONTRACT_SHARE)
    corners = round(count * ON_CORNER_SHARE)
    anywhere = count - inside - corners
    west, south, east, north = zones.bounds
    xy = np.column_stack([rng.uniform(west, east, anywhere), rng.uniform(south, north, anywhere)])
    xy = np.vstack([xy, _inside_contract_areas(zones, inside, rng)])
    lon, lat = transformer(crs_from_user_input(CRS), crs_from_user_input(WGS84)).transform(
        xy[:, 0], xy[:, 1])
    lonlat = np.vstack([np.column_stack([lon, lat]), _cell_corners(session, corners, rng)])
    kinds = [ANYWHERE] * anywhere + [IN_CONTRACT_AREA] * inside + [ON_CELL_CORNER] * corners
    categories = session.scalars(select(Category).order_by(Category.id)).all()
    picks = rng.integers(0, len(categories), len(lonlat))
    order = rng.permutation(len(lonlat))  # mix the kinds through the run
    return [Lookup(float(lonlat[k, 0]), float(lonlat[k, 1]), categories[picks[k]], kinds[k])
            for k in order]


def _inside_contract_areas(zones: ZoneSet, count: int, rng: np.random.Generator) -> np.ndarray:
    areas = [g for g, c in zip(zones.geometries, zones.contract, strict=True) if c]
    points = []
    while len(points) < count:
        area = areas[int(rng.integers(len(areas)))]
        west, south, east, north = area.bounds
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.contains_xy(area, x, y):
            points.append((x, y))
    return np.asarray(points, dtype=np.float64).reshape(-1, 2)


def _cell_corners(session: Session, count: int, rng: np.random.Generator) -> np.ndarray:
    """The first vertex of random cells as stored: a grid node shared by up to four cells."""
    ring_start = func.ST_PointN(func.ST_ExteriorRing(func.ST_GeometryN(Zone.geom, 1)), 1)
    cell_ids = session.scalars(
        select(Zone.id).where(Zone.name.like("Maintenance area %")).order_by(Zone.id)).all()
    chosen = [int(i) for i in rng.choice(cell_ids, size=count)]
    rows = session.execute(
        select(func.ST_X(ring_start), func.ST_Y(ring_start), Zone.id).where(Zone.id.in_(chosen))
    ).all()
    by_id = {zone_id: (x, y) for x, y, zone_id in rows}
    return np.asarray([by_id[i] for i in chosen], dtype=np.float64).reshape(-1, 2)


def measure(session: Session, lookups: list[Lookup], at: datetime) -> Timings:
    """Time both ways for every point, alternating which goes first, after a warm-up."""
    reports = [
        Report(category_id=c.category.id, category=c.category,
               location=to_db(point(c.lon, c.lat)))
        for c in lookups
    ]
    # The raw psycopg connection under the session's own: same server process, same
    # transaction, so the two differ only in what runs in Python around the query.
    cursor = session.connection().connection.driver_connection.cursor()
    params = [{"lon": c.lon, "lat": c.lat, "category": c.category.id, "at": at}
              for c in lookups]
    for k in range(min(WARM_UP, len(lookups))):
        find_routing(session, reports[k], at)
        cursor.execute(RAW_LOOKUP, params[k])
        cursor.fetchall()
    timings = Timings()
    for k, (report, param) in enumerate(zip(reports, params, strict=True)):
        if k % 2 == 0:
            decision, service_ns = _timed_service(session, report, at)
            raw_zone, raw_ns = _timed_raw(cursor, param)
        else:
            raw_zone, raw_ns = _timed_raw(cursor, param)
            decision, service_ns = _timed_service(session, report, at)
        timings.service_ns.append(service_ns)
        timings.raw_ns.append(raw_ns)
        timings.rules[decision.rule.value] += 1
        timings.candidates.append(len(decision.passed_over) + (decision.zone_id is not None))
        if decision.zone_id != raw_zone:
            c = lookups[k]
            timings.mismatches.append(
                f"({c.lon!r}, {c.lat!r}) {c.category.code}, {c.kind}: service zone "
                f"{decision.zone_id}, raw SQL zone {raw_zone}")
    cursor.close()
    return timings


def _timed_service(session: Session, report: Report, at: datetime):  # noqa: ANN202
    started = time.perf_counter_ns()
    decision = find_routing(session, report, at)
    return decision, time.perf_counter_ns() - started


def _timed_raw(cursor, param: dict) -> tuple[int | None, int]:  # noqa: ANN001
    started = time.perf_counter_ns()
    cursor.execute(RAW_LOOKUP, param)
    row = cursor.fetchone()
    elapsed = time.perf_counter_ns() - started
    return (row[0] if row else None), elapsed

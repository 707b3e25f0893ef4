"""The Open311 benchmark's city: the public map's reports (bench/public_map_data.py: ten
years, a dense centre, 92% published) with what the GeoReport v2 answer reads beside each
report, so that its correlated subqueries (latest public reply, first photo) and joins
(category, party) work on realistic tables:

- the figures' catalog (bench/figures_data.py: 20 parties, 100 zones tiling the city) and
  a service area over the whole city, so a POST routes and checks its point as in service;
- 80% of the reports past `received` assigned to a party (and due a week later);
- events: every report its `submitted`, 10% an internal note, 35% of those past
  `received` a public reply (5% of them two);
- photos: 20% of the reports one (2% of them hidden), 3% a second one;
- a few API keys (one per load-generating client).

Then the viewports the map query asks for: boxes around random public reports, each
holding about 500 public reports, found by counting (a bbox bounds requests.json by itself:
no default 90-day window applies to it, schemas/open311.py).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from bench.figures_data import CATALOG, CITY_M
from bench.public_map_data import (
    CENTRE,
    METRES_PER_DEGREE_LAT,
    METRES_PER_DEGREE_LON,
    create_categories,
    load_reports,
)
from feedbackgis.services.open311.api_keys import create_api_key

WINDOW_DAYS = 90  # requests.json's default: the last 90 days
HALF_CITY = (CITY_M[0] / 2 / METRES_PER_DEGREE_LON, CITY_M[1] / 2 / METRES_PER_DEGREE_LAT)

SERVICE_AREA = f"""
INSERT INTO service_area (name, geom)
VALUES ('Bench city', ST_Multi(ST_MakeEnvelope({CENTRE[0] - HALF_CITY[0]},
        {CENTRE[1] - HALF_CITY[1]}, {CENTRE[0] + HALF_CITY[0]}, {CENTRE[1] + HALF_CITY[1]},
        4326)))
"""
ASSIGN = """
UPDATE report r SET assigned_party_id = p.ids[1 + mod(r.id, array_length(p.ids, 1))],
                    due_at = r.created_at + interval '7 days'
FROM (SELECT array_agg(id ORDER BY id) AS ids FROM party) p
WHERE r.status <> 'received' AND random() < 0.80
"""
EVENTS = """
INSERT INTO report_event (report_id, kind, actor, note, is_public, created_at)
SELECT id, 'submitted', 'resident', NULL, false, created_at FROM report;
INSERT INTO report_event (report_id, kind, actor, note, is_public, created_at)
SELECT id, 'note', 'Handler', 'Internal: checked on site, contractor informed.', false,
       created_at + interval '1 day'
FROM report WHERE random() < 0.10;
INSERT INTO report_event (report_id, kind, actor, note, is_public, created_at)
SELECT r.id, 'reply', 'Unit', 'Thank you, the work is ordered (' || n || ').', true,
       r.created_at + make_interval(days => 1 + n)
FROM report r CROSS JOIN LATERAL generate_series(1, CASE WHEN random() < 0.05 THEN 2 ELSE 1 END) n
WHERE r.status <> 'received' AND random() < 0.35;
"""
PHOTOS = """
INSERT INTO photo (report_id, position, image_key, width, height, bytes, hidden,
                   upload_token_hash, created_at)
SELECT r.id, n - 1, 'bench/' || r.id || '-' || n || '.jpg', 1600, 1200, 250000,
       n = 1 AND random() < 0.02, md5('bench-photo-' || r.id || '-' || n), r.created_at
FROM report r CROSS JOIN LATERAL generate_series(1, CASE WHEN random() < 0.15 THEN 2 ELSE 1 END) n
WHERE random() < 0.20;
"""
# What requests.json shows without dates: public reports of the last 90 days.
RECENT = f"is_public AND created_at >= now() - interval '{WINDOW_DAYS} days'"


@dataclass(frozen=True)
class City:
    api_keys: list[str]
    category_codes: list[str]
    load_s: dict[str, float]  # step -> seconds


def load_city(engine: Engine, count: int, clients: int) -> City:
    """`count` reports with their parties, events and photos; `clients` API keys."""
    load_s: dict[str, float] = {}
    with sessionmaker(engine)() as session:
        create_categories(session)
        session.commit()
    started = time.perf_counter()
    loaded = load_reports(engine, count)
    load_s["reports (map_cells_rebuild)"] = time.perf_counter() - started
    load_s["  of which map_cells_rebuild"] = loaded.rebuild_s
    with engine.begin() as conn:
        conn.exec_driver_sql(CATALOG + SERVICE_AREA)
        # The assignment moves no report on the map: its cells need no update.
        conn.exec_driver_sql("ALTER TABLE report DISABLE TRIGGER map_cells_on_update")
        load_s["parties assigned"] = _timed(conn, ASSIGN)
        conn.exec_driver_sql("ALTER TABLE report ENABLE TRIGGER map_cells_on_update")
        # The figures' trigger keeps first_response_at; these reports have theirs as generated.
        conn.exec_driver_sql("ALTER TABLE report_event DISABLE TRIGGER report_figures_on_insert")
        load_s["events"] = _timed(conn, EVENTS)
        conn.exec_driver_sql("ALTER TABLE report_event ENABLE TRIGGER report_figures_on_insert")
        load_s["photos"] = _timed(conn, PHOTOS)
        codes = list(conn.execute(text("SELECT code FROM category ORDER BY code")).scalars())
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        load_s["VACUUM ANALYZE"] = _timed(conn, "VACUUM ANALYZE")
    with sessionmaker(engine)() as session:
        keys = [create_api_key(session, f"Bench client {k + 1}") for k in range(clients)]
    return City(api_keys=keys, category_codes=codes, load_s=load_s)


def _timed(conn, statements: str) -> float:  # noqa: ANN001
    started = time.perf_counter()
    conn.exec_driver_sql(statements)
    return time.perf_counter() - started


def table_sizes(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text(f"""
            SELECT 'reports', count(*) FROM report
            UNION ALL SELECT 'public', count(*) FROM report WHERE is_public
            UNION ALL SELECT 'public, last 90 days', count(*) FROM report WHERE {RECENT}
            UNION ALL SELECT 'events', count(*) FROM report_event
            UNION ALL SELECT 'public replies', count(*) FROM report_event WHERE kind = 'reply'
            UNION ALL SELECT 'photos', count(*) FROM photo
        """)).all())  # noqa: S608 - constants only


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float
    requests: int  # public reports inside

    @property
    def param(self) -> str:
        return ",".join(f"{v:.6f}" for v in (self.west, self.south, self.east, self.north))


COUNT_IN_BOX = """
SELECT count(*) FROM report WHERE is_public AND location && ST_MakeEnvelope(:w, :s, :e, :n, 4326)
"""


def viewports(engine: Engine, how_many: int, holding: int, seed: int) -> list[Box]:
    """`how_many` boxes, each around a random public report, the shape of a 16:10 screen
    and holding `holding` (+-10%) public reports: bisection on the box's size."""
    with engine.connect() as conn:
        conn.execute(text("SELECT setseed(:s)"), {"s": (seed % 1_000_000) / 1_000_000})
        centres = conn.execute(text(
            "SELECT ST_X(location), ST_Y(location) FROM report "
            "WHERE is_public ORDER BY random() LIMIT :n"), {"n": how_many * 3}).all()
        boxes = []
        for lon, lat in centres:
            box = _box_holding(conn, lon, lat, holding)
            if box is not None:
                boxes.append(box)
            if len(boxes) == how_many:
                break
    if not boxes:
        raise RuntimeError(f"no box holds about {holding} recent requests: too few reports")
    return boxes


def _box_holding(conn, lon: float, lat: float, holding: int) -> Box | None:  # noqa: ANN001
    low, high = 10.0, 40_000.0  # half the box's height, metres
    for _ in range(24):
        half = math.sqrt(low * high)
        box = _box(conn, lon, lat, half)
        if abs(box.requests - holding) <= holding / 10:
            return box
        low, high = (half, high) if box.requests < holding else (low, half)
    return None


def _box(conn, lon: float, lat: float, half_m: float) -> Box:  # noqa: ANN001
    dlat = half_m / METRES_PER_DEGREE_LAT
    dlon = 1.6 * half_m / METRES_PER_DEGREE_LON
    edges = {"w": lon - dlon, "s": lat - dlat, "e": lon + dlon, "n": lat + dlat}
    found = conn.execute(text(COUNT_IN_BOX), edges).scalar_one()
    return Box(edges["w"], edges["s"], edges["e"], edges["n"], found)


def public_ids(engine: Engine, how_many: int) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT id FROM report TABLESAMPLE BERNOULLI (10) WHERE is_public "
            "ORDER BY random() LIMIT :n"), {"n": how_many}).scalars())

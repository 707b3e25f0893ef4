"""A city's ten years of reports for the public map benchmark, and the viewports looked at.

The reports are generated inside PostgreSQL (INSERT ... SELECT over generate_series, in
creation order as a real table fills): a dense centre (Helsinki's), a wider ring of suburbs
and a thin spread over the whole city; ten categories of unequal weight; more reports in
later years; old reports mostly fixed or closed, recent ones mostly open; a few rejected
and some never published (neither is ever on the map).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bench.zone_data import CATEGORIES
from feedbackgis.domain.map_grid import BoundingBox
from feedbackgis.services.catalog.parties_and_categories import CategoryFields, add_category

CENTRE = (24.9384, 60.1699)
METRES_PER_DEGREE_LAT = 111_320.0
METRES_PER_DEGREE_LON = METRES_PER_DEGREE_LAT * math.cos(math.radians(CENTRE[1]))
YEARS = 10

# :n reports (:batch makes their follow-up tokens unique). Ages: age^1.3 puts more reports
# in later years. Places: 45% within ~2 km of the centre, 35% within ~6 km, 20% anywhere in
# a 36 x 24 km city.
GENERATE_REPORTS = f"""
INSERT INTO report (category_id, location, description, status, is_public, published_at,
                    follow_up_nonce, follow_up_token_hash, created_at, updated_at)
SELECT c.id,
       ST_SetSRID(ST_MakePoint({CENTRE[0]} + place.dx / {METRES_PER_DEGREE_LON},
                               {CENTRE[1]} + place.dy / {METRES_PER_DEGREE_LAT}), 4326),
       'Benchmark report ' || g.k,
       CASE WHEN g.r_status < 0.04 THEN 'rejected'
            WHEN g.age_days > 45 + 400 * g.r_fix THEN
                 CASE WHEN g.r_status < 0.7 THEN 'closed' ELSE 'fixed' END
            ELSE (ARRAY['received', 'triage', 'assigned', 'in_progress', 'fixed'])
                 [1 + floor(g.r_fix * 5)::int] END::report_status,
       g.r_public < 0.92, now() - make_interval(secs => g.age_days * 86400),
       md5(:batch || g.k), md5(:batch || 'token' || g.k),
       now() - make_interval(secs => g.age_days * 86400),
       now()
FROM (
    SELECT k, random() AS r_place, random() AS r1, random() AS r2, random() AS r_status,
           random() AS r_fix, random() AS r_public,
           {YEARS} * 365.25 * power(random(), 1.3) AS age_days,
           1 + floor(10 * power(random(), 1.7))::int AS category_rank
    FROM generate_series(1, :n) AS k
) AS g
CROSS JOIN LATERAL (
    SELECT CASE WHEN g.r_place < 0.45 THEN 2000 WHEN g.r_place < 0.80 THEN 6000 END AS sigma
) AS ring
CROSS JOIN LATERAL (
    SELECT CASE WHEN ring.sigma IS NULL THEN (g.r1 - 0.5) * 36000
                ELSE ring.sigma * sqrt(-2 * ln(1 - g.r1)) * cos(2 * pi() * g.r2) END AS dx,
           CASE WHEN ring.sigma IS NULL THEN (g.r2 - 0.5) * 24000
                ELSE ring.sigma * sqrt(-2 * ln(1 - g.r1)) * sin(2 * pi() * g.r2) END AS dy
) AS place
JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM category) AS c
  ON c.rank = g.category_rank
ORDER BY g.age_days DESC
"""


def create_categories(session: Session) -> None:
    for code in CATEGORIES:
        label = code.replace("-", " ").capitalize()
        add_category(session, code, CategoryFields(label, label, label))


@dataclass(frozen=True)
class LoadTimes:
    insert_s: float
    rebuild_s: float


def load_reports(engine: Engine, count: int) -> LoadTimes:
    """`count` reports in one statement with the map's insert trigger off, then the counts
    built by map_cells_rebuild (several times faster than the trigger on one huge
    statement; the tests show both give the same counts)."""
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE report DISABLE TRIGGER map_cells_on_insert"))
        started = time.perf_counter()
        conn.execute(text(GENERATE_REPORTS), {"n": count, "batch": "load"})
        inserted = time.perf_counter()
        conn.execute(text("ALTER TABLE report ENABLE TRIGGER map_cells_on_insert"))
        conn.execute(text("SELECT map_cells_rebuild()"))
        rebuilt = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return LoadTimes(insert_s=inserted - started, rebuild_s=rebuilt - inserted)


def data_sizes(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("""
            SELECT 'reports', count(*) FROM report
            UNION ALL SELECT 'on the map', count(*) FROM report
                WHERE is_public AND location IS NOT NULL
                  AND status NOT IN ('duplicate', 'not_ours', 'rejected', 'withdrawn')
            UNION ALL SELECT 'map_cell rows', count(*) FROM map_cell
            UNION ALL SELECT 'map_cell bytes', pg_total_relation_size('map_cell')
            UNION ALL SELECT 'report bytes', pg_total_relation_size('report')
        """)).all())


@dataclass(frozen=True)
class Viewport:
    name: str
    zoom: int
    width_px: int
    height_px: int
    around_reports: bool  # centred on random reports (where people look), else the centre

    def bbox(self, lon: float, lat: float) -> BoundingBox:
        """The screen's bbox centred on lon, lat at this zoom (Web Mercator pixels)."""
        world = 256 * 2 ** self.zoom
        x = (lon + 180) / 360 * world
        y = (0.5 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)) * world

        def lon_of(px: float) -> float:
            return px / world * 360 - 180

        def lat_of(py: float) -> float:
            return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / world))))

        return BoundingBox(lon_of(x - self.width_px / 2), lat_of(y + self.height_px / 2),
                           lon_of(x + self.width_px / 2), lat_of(y - self.height_px / 2))


VIEWPORTS = (
    Viewport("whole city, desktop 1280x800, z11", 11, 1280, 800, False),
    Viewport("whole city, phone 390x844, z10", 10, 390, 844, False),
    Viewport("4K screen 3840x2160, z12", 12, 3840, 2160, False),
    Viewport("district, desktop 1920x1080, z13", 13, 1920, 1080, True),
    Viewport("neighbourhood, phone, z14", 14, 390, 844, True),
    Viewport("blocks, desktop 1920x1080, z15", 15, 1920, 1080, True),
    Viewport("streets, desktop 1920x1080, z16", 16, 1920, 1080, True),
    Viewport("street, phone 390x844, z17", 17, 390, 844, True),
    # The whole-city desktop bbox sent with zoom 18 (a bad client): clustered all the same.
    Viewport("whole-city bbox sent with z18", 18, 1280 << 7, 800 << 7, False),
)

# name -> query parameters besides bbox and zoom
FILTERS = {
    "no filter": {},
    "open, 30 days": {"state": "open", "days": "30"},
    "2 categories, 365 days": {"category": f"{CATEGORIES[0]},{CATEGORIES[3]}", "days": "365"},
    "1 category, fixed, 1000 days": {"category": CATEGORIES[1], "state": "fixed",
                                     "days": "1000"},
}

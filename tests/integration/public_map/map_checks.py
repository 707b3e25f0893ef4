"""Reports placed for the public map's tests, and the answers a direct query over `report`
gives, computed independently of map_cell and its functions (the grid through PostGIS's own
EPSG:3857 projection, not map_cell_x/map_cell_y)."""
from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.tokens import hash_token, new_nonce
from feedbackgis.geo.convert import point, to_db
from feedbackgis.models import Category, Report, ReporterContact
from feedbackgis.services.reports.submission import follow_up_token

from ..factories import SECRET_KEY

HALF_WORLD = 20037508.342789244  # metres, EPSG:3857
WORLD = 2 * HALF_WORLD


def put_report(session: Session, category: Category, lon: float | None, lat: float | None, *,
               status: ReportStatus = ReportStatus.ASSIGNED, created_at: datetime | None = None,
               public: bool = True, description: str = "Katuvalo ei pala",
               address: str | None = None, contact: dict[str, str] | None = None,
               flush: bool = True) -> Report:
    """A report as the map meets it, written in one INSERT; flush=False leaves it for the
    next flush, so that many go in one statement (the map's trigger runs per statement)."""
    report = Report(
        category=category, category_id=category.id, status=status, is_public=public,
        location=to_db(point(lon, lat)) if lon is not None and lat is not None else None,
        address=address, description=description, follow_up_nonce=new_nonce())
    report.follow_up_token_hash = hash_token(follow_up_token(report, SECRET_KEY))
    if created_at is not None:
        report.created_at = created_at
    session.add(report)
    if flush or contact is not None:
        session.flush()
    if contact is not None:
        session.add(ReporterContact(report_id=report.id, **contact))
        session.flush()
    return report


SHOWN = """
    SELECT r.category_id, r.status IN ('fixed', 'closed') AS fixed, r.created_at,
           ST_X(r.location) AS lon, ST_Y(r.location) AS lat,
           ST_X(ST_Transform(r.location, 3857)) AS mx, ST_Y(ST_Transform(r.location, 3857)) AS my
    FROM report r
    WHERE r.is_public AND r.status NOT IN ('duplicate', 'not_ours', 'rejected', 'withdrawn') AND r.location IS NOT NULL
"""
# Every row map_cell should hold, from the reports alone.
EXPECTED_CELLS = f"""
    WITH shown AS ({SHOWN})
    SELECT g AS grid_zoom, c AS category_id, s.fixed, p.year, p.month,
           floor((s.mx + {HALF_WORLD}) / ({WORLD} / (4 << g)))::int AS cell_x,
           floor(({HALF_WORLD} - s.my) / ({WORLD} / (4 << g)))::int AS cell_y,
           count(*) AS report_count, sum(s.lon) AS lon_sum, sum(s.lat) AS lat_sum
    FROM shown s
    CROSS JOIN generate_series(0, 15) AS g
    CROSS JOIN LATERAL (VALUES (s.category_id), (0)) AS cat(c)
    CROSS JOIN LATERAL (VALUES
        (0, 0),
        (extract(year FROM s.created_at AT TIME ZONE 'UTC')::int, 0),
        (extract(year FROM s.created_at AT TIME ZONE 'UTC')::int,
         extract(month FROM s.created_at AT TIME ZONE 'UTC')::int)) AS p(year, month)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
STORED_CELLS = """
    SELECT grid_zoom, category_id, fixed, year, month, cell_x, cell_y, report_count, lon_sum,
           lat_sum FROM map_cell
"""
Key = tuple[int, int, bool, int, int, int, int]


def cells(connection: Connection, sql: str) -> dict[Key, tuple[int, float, float]]:
    return {tuple(r[:7]): (r[7], r[8], r[9]) for r in connection.execute(text(sql))}


def assert_map_cells_match_the_reports(connection: Connection) -> None:
    stored, expected = cells(connection, STORED_CELLS), cells(connection, EXPECTED_CELLS)
    assert set(stored) == set(expected), (
        f"missing {sorted(set(expected) - set(stored))[:5]}, "
        f"extra {sorted(set(stored) - set(expected))[:5]}")
    for key, (count, lon_sum, lat_sum) in expected.items():
        got = stored[key]
        assert got[0] == count, key
        assert math.isclose(got[1], lon_sum, abs_tol=1e-9), key
        assert math.isclose(got[2], lat_sum, abs_tol=1e-9), key


def direct_viewport_cells(connection: Connection, grid_zoom: int, x_range: range,
                          y_range: range, where: str = "true",
                          params: dict | None = None) -> dict[tuple[int, int], tuple]:
    """(cell_x, cell_y) -> (count, mean lon, mean lat) of the shown reports that `where`
    keeps, in the cells of the ranges."""
    rows = connection.execute(text(f"""
        WITH shown AS ({SHOWN} AND {where})
        SELECT floor((mx + {HALF_WORLD}) / ({WORLD} / (4 << :g)))::int AS x,
               floor(({HALF_WORLD} - my) / ({WORLD} / (4 << :g)))::int AS y,
               count(*), avg(lon), avg(lat)
        FROM shown GROUP BY 1, 2"""), {"g": grid_zoom, **(params or {})})
    return {(x, y): (n, lon, lat) for x, y, n, lon, lat in rows
            if x in x_range and y in y_range}


def direct_report_ids(connection: Connection, where: str = "true",
                      params: dict | None = None) -> set[int]:
    rows = connection.execute(text(f"""
        SELECT r.id FROM report r
        WHERE r.is_public AND r.status NOT IN ('duplicate', 'not_ours', 'rejected', 'withdrawn') AND r.location IS NOT NULL AND {where}"""),
                              params or {})
    return {id_ for (id_,) in rows}

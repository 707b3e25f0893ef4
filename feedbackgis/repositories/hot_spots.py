"""The hot spots' SQL: clustering a year of reports, and reading the clusters back.

One statement finds and stores them all: each report of the period is transformed once into
the metric CRS (metres, EPSG:3067 by default; never Web Mercator, whose metres stretch by
1/cos(latitude), about 2x in Helsinki), ST_ClusterDBSCAN runs as a window function
partitioned by category, and the clusters are written to hot_spot and hot_spot_report by
writable CTEs. Their ids come from the sequence before the inserts, so both tables get the
same id without reading anything back. The caller deletes the old rows first, in the same
transaction: a reader sees the previous run or this one, never half of one.
"""
from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus

# Which reports cluster is not what the public map shows, on purpose: every report of the
# period counts whether it is public or not (hidden by moderation, not published yet), and
# the withdrawn and rejected ones are left out even when public (services/analytics/
# hot_spots.LEFT_OUT says why). Right for staff figures, and only staff see them: the
# figures' roles, under /staff/ (web/figures/hot_spots.py). Nothing public reads hot_spot
# or hot_spot_report.
_FIND = """
WITH counted AS (
    SELECT r.id, r.category_id, r.created_at, ST_Transform(r.location, :srid) AS metric
    FROM report AS r
    WHERE r.created_at > :since AND r.created_at <= :now
      AND r.location IS NOT NULL
      AND r.status NOT IN :left_out
), clustered AS (
    SELECT id, category_id, created_at, metric,
           ST_ClusterDBSCAN(metric, eps => :distance, minpoints => :min_reports)
               OVER (PARTITION BY category_id) AS cluster
    FROM counted
), spots AS MATERIALIZED (
    -- nextval() must run once per cluster, and both inserts must see the same ids. PostgreSQL
    -- would not inline this CTE anyway (it calls a volatile function and is referenced
    -- twice), but MATERIALIZED says it in the statement rather than in the planner's rules.
    SELECT nextval(pg_get_serial_sequence('hot_spot', 'id')) AS id, category_id,
           count(*) AS report_count, ST_Collect(metric) AS points,
           min(created_at) AS first_reported_at, max(created_at) AS last_reported_at,
           array_agg(id) AS report_ids
    FROM clustered
    WHERE cluster IS NOT NULL
    GROUP BY category_id, cluster
), stored AS (
    INSERT INTO hot_spot (id, category_id, report_count, hull, centre, first_reported_at,
                          last_reported_at, computed_at)
    SELECT id, category_id, report_count, ST_Transform(ST_ConvexHull(points), 4326),
           ST_Transform(ST_Centroid(points), 4326), first_reported_at, last_reported_at, :now
    FROM spots
    RETURNING id
), members AS (
    INSERT INTO hot_spot_report (hot_spot_id, report_id)
    SELECT spots.id, unnest(spots.report_ids) FROM spots
    RETURNING hot_spot_id
)
SELECT (SELECT count(*) FROM stored), (SELECT count(*) FROM members)
"""


def replace_hot_spots(session: Session, *, now: datetime, since: datetime, srid: int,
                      distance_m: float, min_reports: int,
                      left_out: Collection[ReportStatus]) -> tuple[int, int]:
    """Delete every hot spot and store those of the reports created in (since, now];
    returns (hot spots, reports in them). Runs one at a time: two runs at once would each
    delete what was there before the other's inserts, and both sets would stay."""
    # Conflicts with itself, not with the readers (ACCESS SHARE) of the page.
    session.execute(text("LOCK TABLE hot_spot IN SHARE ROW EXCLUSIVE MODE"))
    # The planner cannot cost the window function and compiles the statement (JIT) for
    # seconds it then runs without (measured: 2.4 s of 42 at a million reports in a year).
    session.execute(text("SET LOCAL jit = off"))
    session.execute(text("DELETE FROM hot_spot_report"))
    session.execute(text("DELETE FROM hot_spot"))
    statement = text(_FIND).bindparams(bindparam("left_out", expanding=True))
    row = session.execute(statement, {
        "now": now, "since": since, "srid": srid, "distance": distance_m,
        "min_reports": min_reports, "left_out": [status.value for status in left_out],
    }).one()
    return int(row[0]), int(row[1])


# --- reading ------------------------------------------------------------------------------

@dataclass(frozen=True)
class HotSpotRow:
    id: int
    category_id: int
    report_count: int
    first_reported_at: datetime
    last_reported_at: datetime
    centre_lon: float
    centre_lat: float
    hull: dict[str, Any]  # GeoJSON geometry: a polygon, or a line or a point
    report_ids: tuple[int, ...]  # oldest first


@dataclass(frozen=True)
class HotSpotRead:
    rows: list[HotSpotRow]  # the first `limit`, most reports first
    total: int  # all the reader sees


_ORDER = "ORDER BY report_count DESC, last_reported_at DESC, id"

# Every hot spot as stored, with all its reports (admins and managers).
_READ_ALL = """
WITH chosen AS (
    SELECT h.* FROM hot_spot AS h WHERE {where} {order} LIMIT :limit
)
SELECT h.id, h.category_id, h.report_count, h.first_reported_at, h.last_reported_at,
       ST_X(h.centre), ST_Y(h.centre), ST_AsGeoJSON(h.hull, 6), its.report_ids
FROM chosen AS h
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(r.id ORDER BY r.created_at, r.id), '{{}}') AS report_ids
    FROM hot_spot_report AS hr JOIN report AS r ON r.id = hr.report_id
    WHERE hr.hot_spot_id = h.id
) AS its
{order}
"""

# A party's view of the hot spots: each one made of the party's own reports of it only.
# Its count, first and last dates, hull and centre are computed from those reports alone
# (in the metric CRS, as _FIND does), so nothing of another unit's reports shows: neither
# their number nor their places nor their dates. A hot spot is shown to the party only
# when at least `min_reports` of its reports are the party's: what they see then holds as
# many reports as the page says a hot spot needs (HOT_SPOT_MIN_REPORTS), so it is a
# recurring problem of theirs and not one reported mostly to another unit. (Their reports
# may be joined to each other through other units' reports, so they are not re-clustered
# on their own: the place is one hot spot, of which they see their part.)
_READ_OF_PARTY = """
WITH own AS (
    SELECT hr.hot_spot_id, h.category_id, r.id, r.created_at,
           ST_Transform(r.location, :srid) AS metric
    FROM hot_spot_report AS hr
    JOIN hot_spot AS h ON h.id = hr.hot_spot_id
    JOIN report AS r ON r.id = hr.report_id
    WHERE r.assigned_party_id = :party_id AND r.location IS NOT NULL AND {where}
), spots AS (
    SELECT hot_spot_id AS id, category_id, count(*) AS report_count,
           min(created_at) AS first_reported_at, max(created_at) AS last_reported_at,
           ST_Collect(metric) AS points, array_agg(id ORDER BY created_at, id) AS report_ids
    FROM own
    GROUP BY hot_spot_id, category_id
    HAVING count(*) >= :min_reports
), chosen AS (
    SELECT * FROM spots {order} LIMIT :limit
)
SELECT id, category_id, report_count, first_reported_at, last_reported_at,
       ST_X(ST_Transform(ST_Centroid(points), 4326)),
       ST_Y(ST_Transform(ST_Centroid(points), 4326)),
       ST_AsGeoJSON(ST_Transform(ST_ConvexHull(points), 4326), 6), report_ids,
       (SELECT count(*) FROM spots)
FROM chosen
{order}
"""


def _rows(result: Any) -> list[HotSpotRow]:
    return [HotSpotRow(row[0], row[1], row[2], row[3], row[4], float(row[5]), float(row[6]),
                       json.loads(row[7]), tuple(row[8])) for row in result]


def read_hot_spots(session: Session, *, category_id: int | None, limit: int) -> HotSpotRead:
    """Every hot spot (of the category), most reports first, with all their reports."""
    where, params = "true", {"limit": limit}
    if category_id is not None:
        where, params["category_id"] = "h.category_id = :category_id", category_id
    total = session.execute(text(f"SELECT count(*) FROM hot_spot AS h WHERE {where}"),  # noqa: S608
                            params).scalar_one()
    rows = session.execute(text(_READ_ALL.format(where=where, order=_ORDER)), params)
    return HotSpotRead(_rows(rows), int(total))


def read_party_hot_spots(session: Session, *, party_id: int, category_id: int | None,
                         limit: int, min_reports: int, srid: int) -> HotSpotRead:
    """The hot spots holding at least `min_reports` reports of the party, each as made of
    those reports alone (count, dates, hull, centre), most reports first. `srid`: the
    metric CRS the centres are computed in, as when they were found."""
    where = "true" if category_id is None else "h.category_id = :category_id"
    params = {"party_id": party_id, "category_id": category_id, "limit": limit,
              "min_reports": min_reports, "srid": srid}
    result = session.execute(text(_READ_OF_PARTY.format(where=where, order=_ORDER)),
                             params).all()
    total = int(result[0][9]) if result else 0
    return HotSpotRead(_rows(result), total)


def hot_spots_computed_at(session: Session) -> datetime | None:
    """When the hot spots were last computed, whether that run found any or not."""
    return session.execute(text("SELECT hot_spots_at FROM figure_refresh WHERE id = 1")).scalar()


def record_hot_spots_run(session: Session, at: datetime) -> None:
    session.execute(text("""
        INSERT INTO figure_refresh (id, hot_spots_at) VALUES (1, :at)
        ON CONFLICT (id) DO UPDATE SET hot_spots_at = excluded.hot_spots_at"""), {"at": at})

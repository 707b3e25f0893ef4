"""What the monthly summary's static map draws: the service area, the zones (of one party
or all) in force during the month, and where the month's reports were made.

Outlines are simplified inside PostGIS (the image is a few hundred pixels wide, so ~10 m
of detail is invisible) and come back as WKB in EPSG:4326; the points as lon, lat.
"""
from __future__ import annotations

from datetime import datetime

import shapely
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from feedbackgis.models import Report, ServiceArea, Zone
from feedbackgis.repositories.figure_reports import report_conditions
from feedbackgis.repositories.figures import RollupFilter

# About 10 m at Finnish latitudes (as repositories/zone_map.py draws zones).
OUTLINE_TOLERANCE_DEGREES = 0.0001
# A month of a large city is some thousands of reports; this only bounds a runaway query.
MAX_POINTS = 200_000


def _shapes(rows: object) -> list[shapely.Geometry]:
    return [shapely.from_wkb(bytes(wkb)) for (wkb,) in rows if wkb is not None]  # type: ignore[attr-defined]


def service_area_outlines(session: Session) -> list[shapely.Geometry]:
    simplified = func.ST_SimplifyPreserveTopology(ServiceArea.geom, OUTLINE_TOLERANCE_DEGREES)
    return _shapes(session.execute(select(func.ST_AsBinary(simplified))
                                   .order_by(ServiceArea.id)))


def zone_outlines(session: Session, party_id: int | None, begins: datetime,
                  ends: datetime) -> list[shapely.Geometry]:
    """The zones (of `party_id`, or every party's) valid at some time from begins to ends."""
    simplified = func.ST_SimplifyPreserveTopology(Zone.geom, OUTLINE_TOLERANCE_DEGREES)
    query = (select(func.ST_AsBinary(simplified))
             .where(or_(Zone.valid_from.is_(None), Zone.valid_from < ends),
                    or_(Zone.valid_to.is_(None), Zone.valid_to > begins))
             .order_by(Zone.id))
    if party_id is not None:
        query = query.where(Zone.party_id == party_id)
    return _shapes(session.execute(query))


def report_points(session: Session, rollup: RollupFilter,
                  time_zone: str) -> list[tuple[float, float]]:
    """(lon, lat) of the reports the figures of `rollup` count, those with a location."""
    rows = session.execute(
        select(func.ST_X(Report.location), func.ST_Y(Report.location))
        .where(Report.location.is_not(None), *report_conditions(rollup, time_zone))
        .limit(MAX_POINTS))
    return [(lon, lat) for lon, lat in rows]

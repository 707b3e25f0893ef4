"""Open published reports near a point: what the report form offers as possible duplicates."""
from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Float, String, bindparam, case, func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.geo.crs import WGS84
from feedbackgis.models import Category, Report

NEARBY_LIMIT = 10  # a resident reads a handful, not a list


# Metres in a degree: of latitude at least 110,574 (at the equator); of longitude at least
# 111,319 x cos(latitude) on the ellipsoid. A box drawn with these (and a margin) holds the
# whole circle, at any latitude: a metric CRS such as EPSG:3067 has no such guarantee and
# fails outright for points outside its domain.
MIN_METRES_PER_DEGREE_LAT = 110_574
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_319
BOX_MARGIN = 1.01


def search_box_degrees(lat: float, radius_m: float) -> tuple[float, float]:
    """Half the width and height, in degrees, of a box around a point at `lat` that holds
    every point within `radius_m` metres of it."""
    shrink = max(math.cos(math.radians(lat)), 1e-9)
    dx = radius_m * BOX_MARGIN / (METRES_PER_DEGREE_LON_AT_EQUATOR * shrink)
    dy = radius_m * BOX_MARGIN / MIN_METRES_PER_DEGREE_LAT
    return min(dx, 360.0), min(dy, 180.0)


def nearby_open_reports_query():
    """Published open reports of a category within `radius_m` metres of (lon, lat), nearest
    first, the category named in `language`. Bound parameters: lon, lat, category, radius_m,
    dx, dy (search_box_degrees), language.

    The distance is exact on the spheroid (geography); the `&&` with a box around the point
    lets the report.location GiST index find the candidates (a geography cast of the column
    alone would read every report)."""
    point = func.ST_SetSRID(func.ST_MakePoint(bindparam("lon", type_=Float),
                                              bindparam("lat", type_=Float)), WGS84)
    radius = bindparam("radius_m", type_=Float)
    search_box = func.ST_Expand(point, bindparam("dx", type_=Float), bindparam("dy", type_=Float))
    distance = func.ST_Distance(func.Geography(Report.location), func.Geography(point))
    language = bindparam("language", type_=String)
    category_name = func.coalesce(case((language == "sv", Category.name_sv),
                                       (language == "en", Category.name_en),
                                       else_=Category.name_fi), Category.name_fi)
    return (
        select(Report.id, Category.code.label("category_code"),
               category_name.label("category_name"), Report.status,
               func.coalesce(Report.public_description, Report.description).label("description"),
               Report.address,
               Report.created_at, func.ST_X(Report.location).label("lon"),
               func.ST_Y(Report.location).label("lat"), distance.label("distance_m"))
        .join(Category, Category.id == Report.category_id)
        .where(
            Category.code == bindparam("category", type_=String),
            Report.is_public,
            Report.status.in_(sorted(OPEN_STATUSES)),
            Report.location.op("&&")(search_box),
            func.ST_DWithin(func.Geography(Report.location), func.Geography(point), radius),
        )
        .order_by(distance, Report.id)
        .limit(NEARBY_LIMIT)
    )


NEARBY_OPEN_REPORTS = nearby_open_reports_query()


def nearby_open_reports(session: Session, lon: float, lat: float, category: str, *,
                        radius_m: float, language: str) -> list[dict[str, Any]]:
    """Each report as a dict of id, category {code, name}, status, description, address,
    created_at, lon, lat and distance_m."""
    dx, dy = search_box_degrees(lat, radius_m)
    rows = session.execute(NEARBY_OPEN_REPORTS, {
        "lon": lon, "lat": lat, "category": category, "radius_m": radius_m, "dx": dx, "dy": dy,
        "language": language,
    })
    found = []
    for row in rows:
        report = row._asdict()
        report["category"] = {"code": report.pop("category_code"),
                              "name": report.pop("category_name")}
        found.append(report)
    return found

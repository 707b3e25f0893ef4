"""Areas residents watch: a circle around a point, and the true size of a polygon.

Sizes are geodesic (on the WGS 84 ellipsoid), so they are right whatever the metric CRS.
"""
from __future__ import annotations

import math
from functools import lru_cache

import shapely
from pyproj import CRS, Geod, Proj

from feedbackgis.geo.crs import WGS84, crs_from_user_input, reproject

_GEOD = Geod(ellps="WGS84")
# 16 segments a quarter: a 64-gon, whose area is within 0.2% of the true circle's.
CIRCLE_QUAD_SEGMENTS = 16


class OutsideMetricCrs(ValueError):
    """The point lies where the local metric CRS cannot measure (e.g. EPSG:3067 at 179°E)."""


def circle_around(lon: float, lat: float, radius_m: float, metric_crs: CRS) -> shapely.Polygon:
    """A circle of `radius_m` metres on the ground around (lon, lat), in EPSG:4326.

    Buffered in the local metric CRS, with the radius scaled by that CRS's scale at the
    centre: a projected metre is not a ground metre away from the central meridian (in
    EPSG:3067 by up to 0.1%, in Web Mercator at 60°N by a factor of two).
    """
    wgs84 = crs_from_user_input(WGS84)
    centre = reproject(shapely.Point(lon, lat), wgs84, metric_crs)
    radius = radius_m * _linear_scale(metric_crs, lon, lat)
    if not (math.isfinite(centre.x) and math.isfinite(centre.y) and math.isfinite(radius)):
        raise OutsideMetricCrs(f"({lon}, {lat}) is outside the area of {metric_crs.name}")
    circle = centre.buffer(radius, quad_segs=CIRCLE_QUAD_SEGMENTS)
    return reproject(circle, metric_crs, wgs84)


@lru_cache(maxsize=8)
def _projection(crs: CRS) -> Proj:
    return Proj(crs)


def _linear_scale(crs: CRS, lon: float, lat: float) -> float:
    # The square root of the areal scale keeps the circle's area right even in a CRS
    # that is not conformal.
    return math.sqrt(_projection(crs).get_factors(lon, lat).areal_scale)


def geodesic_area_m2(polygon: shapely.Polygon) -> float:
    area, _perimeter = _GEOD.geometry_area_perimeter(polygon)
    return abs(area)


def vertex_count(polygon: shapely.Polygon) -> int:
    """Distinct vertices of all rings (a ring's closing point is not counted twice)."""
    rings = [polygon.exterior, *polygon.interiors]
    return sum(len(ring.coords) - 1 for ring in rings)


def invalidity_reason(polygon: shapely.Polygon) -> str | None:
    """Why the polygon is not valid (e.g. 'Self-intersection[24.9 60.2]'), or None."""
    if polygon.is_valid:
        return None
    return shapely.is_valid_reason(polygon)

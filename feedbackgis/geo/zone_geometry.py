"""Zone polygons from the geometries of a source file: refuse what is not an area, repair
invalid rings, densify edges in the source CRS and reproject to EPSG:4326 (lon, lat).

Why densify: the database treats an edge as a straight line in lon/lat, but the source
drew it straight in its own (usually projected) CRS. A 5 km edge in EPSG:3067 bows about
0.85 m away from the lon/lat chord between its ends, enough to route a report on the
wrong side of a boundary. Short segments follow the true edge to within millimetres.
Geographic sources are not densified: their edges are already straight in lon/lat.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Geod

from feedbackgis.geo.convert import as_multipolygon
from feedbackgis.geo.crs import to_wgs84

Polygonal = shapely.Polygon | shapely.MultiPolygon
_GEOD = Geod(ellps="WGS84")
# Slack around a CRS's area of use before we warn: zones at sea or across a border are
# normal, coordinates in the wrong CRS land hundreds of kilometres away.
AREA_OF_USE_SLACK_DEGREES = 1.0


@dataclass(frozen=True)
class CleanedPolygon:
    """A polygonal geometry in the source CRS, or the reason it cannot be a zone."""

    geometry: Polygonal | None
    refusal: str | None = None
    repair: str | None = None  # what was changed to make it valid, for the summary


@dataclass(frozen=True)
class ZoneGeometry:
    """A zone's MultiPolygon in EPSG:4326, or the reason it cannot be one."""

    geometry: shapely.MultiPolygon | None
    refusal: str | None = None
    repair: str | None = None


def prepare_zone_geometry(
    geometry: shapely.Geometry | None, source_crs: CRS, densify_segment: float
) -> ZoneGeometry:
    """Clean, densify and reproject one source geometry into a zone's MultiPolygon."""
    cleaned = clean_polygonal(geometry)
    if cleaned.geometry is None:
        return ZoneGeometry(None, refusal=cleaned.refusal)
    result = reproject_densified(cleaned.geometry, source_crs, densify_segment)
    repairs = "; ".join(r for r in (cleaned.repair, result.repair) if r) or None
    return ZoneGeometry(result.geometry, refusal=result.refusal, repair=repairs)


def clean_polygonal(geometry: shapely.Geometry | None) -> CleanedPolygon:
    """The polygonal part of `geometry`, made valid; points, lines and empties are refused."""
    if geometry is None:
        return CleanedPolygon(None, refusal="no geometry")
    if geometry.is_empty:
        return CleanedPolygon(None, refusal="empty geometry")
    geometry = shapely.force_2d(geometry)
    polygonal, dropped = _polygonal_parts(geometry)
    if polygonal is None:
        return CleanedPolygon(
            None, refusal=f"a {geometry.geom_type}, not an area (zones must be polygons)"
        )
    repairs = [f"dropped {dropped} non-polygonal part(s)"] if dropped else []
    if not polygonal.is_valid:
        reason = shapely.is_valid_reason(polygonal)
        polygonal = _polygonal_only(shapely.make_valid(polygonal))
        if polygonal is None or polygonal.is_empty:
            return CleanedPolygon(None, refusal=f"no area once repaired ({reason})")
        repairs.append(f"repaired an invalid polygon ({reason})")
    if polygonal.area == 0:
        return CleanedPolygon(None, refusal="no area")
    return CleanedPolygon(polygonal, repair="; ".join(repairs) or None)


def reproject_densified(
    geometry: Polygonal, source_crs: CRS, densify_segment: float
) -> ZoneGeometry:
    """`geometry` in EPSG:4326, its edges first cut to `densify_segment` source units when
    the source CRS is projected."""
    if source_crs.is_projected and densify_segment > 0:
        geometry = shapely.segmentize(geometry, densify_segment)
    reprojected = to_wgs84(geometry, source_crs)
    if not np.isfinite(shapely.get_coordinates(reprojected)).all():
        return ZoneGeometry(None, refusal="coordinates outside the valid range of the CRS")
    repair = None
    if not reprojected.is_valid:
        # Reprojection can fold a sliver that was valid in the source CRS.
        reason = shapely.is_valid_reason(reprojected)
        reprojected = _polygonal_only(shapely.make_valid(reprojected))
        if reprojected is None or reprojected.is_empty:
            return ZoneGeometry(None, refusal=f"no area in lon/lat ({reason})")
        repair = f"repaired after reprojection ({reason})"
    return ZoneGeometry(as_multipolygon(reprojected), repair=repair)


def _polygonal_parts(geometry: shapely.Geometry) -> tuple[Polygonal | None, int]:
    """The polygons of a geometry and how many other parts a collection held."""
    if isinstance(geometry, Polygonal):
        return geometry, 0
    if not isinstance(geometry, shapely.GeometryCollection):
        return None, 0
    parts = [p for p in shapely.get_parts(geometry) if not p.is_empty]
    polygons = [q for p in parts if isinstance(p, Polygonal) for q in shapely.get_parts(p)]
    if not polygons:
        return None, 0
    others = sum(1 for p in parts if not isinstance(p, Polygonal))
    return shapely.MultiPolygon(polygons), others


def _polygonal_only(geometry: shapely.Geometry) -> Polygonal | None:
    if isinstance(geometry, Polygonal):
        return geometry
    if isinstance(geometry, shapely.GeometryCollection):
        return as_multipolygon(geometry)
    return None


def degrees_out_of_range(geometries: Sequence[shapely.Geometry], crs: CRS) -> str | None:
    """Why coordinates cannot be degrees of a geographic CRS (projected data without a
    declared CRS, typically), or None."""
    if not crs.is_geographic or not geometries:
        return None
    bounds = shapely.total_bounds(np.asarray(geometries, dtype=object))
    west, south, east, north = bounds
    if np.isnan(bounds).any() or (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None  # nothing but empty geometries, or plausible degrees
    return (
        f"the coordinates (x {west:.0f}..{east:.0f}, y {south:.0f}..{north:.0f}) are not "
        f"longitudes and latitudes, so they are not in {crs.name}"
    )


def outside_area_of_use(bounds_lonlat: Sequence[float], crs: CRS) -> str | None:
    """A warning when the data lies well outside where `crs` is meant to be used."""
    area = crs.area_of_use
    if area is None or any(np.isnan(b) for b in bounds_lonlat):
        return None
    west, south, east, north = bounds_lonlat
    slack = AREA_OF_USE_SLACK_DEGREES
    if (west >= area.west - slack and east <= area.east + slack
            and south >= area.south - slack and north <= area.north + slack):
        return None
    return (
        f"the data lies at lon {west:.3f}..{east:.3f}, lat {south:.3f}..{north:.3f}, outside "
        f"the area where {crs.name} is used ({area.name}); is that the right CRS?"
    )


def geodesic_area_m2(geometry: shapely.Geometry) -> float:
    """Area on the WGS84 ellipsoid of a lon/lat geometry, in square metres."""
    area, _perimeter = _GEOD.geometry_area_perimeter(geometry)
    return abs(area)

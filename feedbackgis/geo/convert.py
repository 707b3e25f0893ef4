"""Conversions between GeoJSON, shapely and the database's WKB elements (EPSG:4326)."""
from __future__ import annotations

from typing import Any

import shapely
from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape, to_shape

from feedbackgis.geo.crs import WGS84


def to_db(geometry: shapely.Geometry) -> WKBElement:
    # Extended WKB (with the SRID) goes to PostGIS as hex. With plain WKB, GeoAlchemy2
    # rebuilds the shapely shape and sends WKT text, which PostGIS parses again: seconds
    # lost on a large zone import.
    return from_shape(geometry, srid=WGS84, extended=True)


def from_db(element: WKBElement) -> shapely.Geometry:
    return to_shape(element)


def point(lon: float, lat: float) -> shapely.Point:
    return shapely.Point(lon, lat)


def to_geojson(geometry: shapely.Geometry) -> dict[str, Any]:
    return shapely.geometry.mapping(geometry)


def as_multipolygon(geometry: shapely.Geometry) -> shapely.MultiPolygon:
    """Polygonal geometry as a MultiPolygon (the type zones are stored as)."""
    if isinstance(geometry, shapely.MultiPolygon):
        return geometry
    if isinstance(geometry, shapely.Polygon):
        return shapely.MultiPolygon([geometry])
    if isinstance(geometry, shapely.GeometryCollection):
        polygons: list[shapely.Polygon] = []
        for part in geometry.geoms:
            if isinstance(part, shapely.Polygon | shapely.MultiPolygon):
                polygons.extend(as_multipolygon(part).geoms)
        return shapely.MultiPolygon(polygons)
    raise TypeError(f"{geometry.geom_type} is not polygonal")

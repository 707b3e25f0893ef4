"""Zone and service-area queries."""
from __future__ import annotations

from datetime import datetime

from geoalchemy2 import WKBElement
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    Integer,
    bindparam,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from feedbackgis.domain.routing import ZoneCandidate
from feedbackgis.geo.crs import WGS84
from feedbackgis.models import Party, ServiceArea, Zone, ZonePart, zone_category


def _point(lon: float | ColumnElement[float], lat: float | ColumnElement[float]):  # noqa: ANN202
    """A lon/lat point in SQL, from values or bound parameters."""
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), WGS84)


def candidate_zones_query():
    """Zones of active parties that cover the point (edges count), take the category and
    are valid at `at`. The lookup runs on the subdivided parts and their GiST index.

    Bound parameters: lon, lat, category_id, at. Written over the tables rather than the
    ORM classes: the rows are plain tuples, and the ORM's execution path costs more Python
    time per call than the rest of the lookup outside PostGIS."""
    zone, part, party = Zone.__table__.c, ZonePart.__table__.c, Party.__table__.c
    pt = _point(bindparam("lon", type_=Float), bindparam("lat", type_=Float))
    at = bindparam("at", type_=DateTime(timezone=True))
    covering_zone_ids = (
        select(part.zone_id).where(func.ST_Covers(part.geom, pt)).distinct()
    ).subquery()
    takes_category = or_(
        zone.all_categories,
        exists().where(
            zone_category.c.zone_id == zone.id,
            zone_category.c.category_id == bindparam("category_id", type_=Integer),
        ),
    )
    return (
        select(zone.id, zone.party_id, zone.priority, zone.area_m2, zone.name)
        .join(covering_zone_ids, covering_zone_ids.c.zone_id == zone.id)
        .join(Party.__table__, party.id == zone.party_id)
        .where(
            party.active,
            takes_category,
            or_(zone.valid_from.is_(None), zone.valid_from <= at),
            or_(zone.valid_to.is_(None), zone.valid_to > at),
        )
    )


# Built once: building the statement and its cache key on every call took longer (~0.5 ms)
# than PostGIS takes to answer it. bench/zone_routing.py measures the lookup.
CANDIDATE_ZONES = candidate_zones_query()


def candidate_zones(
    session: Session, lon: float, lat: float, category_id: int, at: datetime
) -> list[ZoneCandidate]:
    rows = session.execute(
        CANDIDATE_ZONES, {"lon": lon, "lat": lat, "category_id": category_id, "at": at}
    )
    return [
        ZoneCandidate(
            zone_id=r.id, party_id=r.party_id, priority=r.priority,
            area_m2=r.area_m2 or 0.0, name=r.name,
        )
        for r in rows
    ]


def _service_area_allows(session: Session, predicate: ColumnElement[bool]) -> bool:
    """True when no service area is configured, or one satisfies `predicate`; one query."""
    any_area = exists(select(ServiceArea.id))
    matching_area = exists(select(ServiceArea.id).where(predicate))
    return bool(session.scalar(select(or_(~any_area, matching_area))))


def service_area_covers(session: Session, lon: float, lat: float) -> bool:
    """True when no service area is configured, or one of them covers the point."""
    return _service_area_allows(session, func.ST_Covers(ServiceArea.geom, _point(lon, lat)))


def service_area_intersects(session: Session, area: WKBElement) -> bool:
    """True when no service area is configured, or `area` (EPSG:4326) shares ground with one."""
    return _service_area_allows(session, func.ST_Intersects(ServiceArea.geom, area))


def service_area_geojson(session: Session) -> list[tuple[str, str]]:
    """(name, GeoJSON geometry text) of every service area."""
    rows = session.execute(select(ServiceArea.name, func.ST_AsGeoJSON(ServiceArea.geom, 6)))
    return [(name, geojson) for name, geojson in rows]

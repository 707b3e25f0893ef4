"""Zone and service-area queries."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from feedbackgis.domain.routing import ZoneCandidate
from feedbackgis.geo.crs import WGS84
from feedbackgis.models import Party, ServiceArea, Zone, ZonePart, zone_category


def _point(lon: float, lat: float):  # noqa: ANN202 - a SQL expression
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), WGS84)


def candidate_zones_query(lon: float, lat: float, category_id: int, at: datetime):
    """Zones of active parties that cover the point (edges count), take the category and
    are valid at `at`. The lookup runs on the subdivided parts and their GiST index."""
    pt = _point(lon, lat)
    covering_zone_ids = (
        select(ZonePart.zone_id).where(func.ST_Covers(ZonePart.geom, pt)).distinct()
    ).subquery()
    takes_category = or_(
        Zone.all_categories,
        exists().where(
            and_(zone_category.c.zone_id == Zone.id, zone_category.c.category_id == category_id)
        ),
    )
    return (
        select(Zone.id, Zone.party_id, Zone.priority, Zone.area_m2, Zone.name)
        .join(covering_zone_ids, covering_zone_ids.c.zone_id == Zone.id)
        .join(Party, Party.id == Zone.party_id)
        .where(
            Party.active,
            takes_category,
            or_(Zone.valid_from.is_(None), Zone.valid_from <= at),
            or_(Zone.valid_to.is_(None), Zone.valid_to > at),
        )
    )


def candidate_zones(
    session: Session, lon: float, lat: float, category_id: int, at: datetime
) -> list[ZoneCandidate]:
    rows = session.execute(candidate_zones_query(lon, lat, category_id, at))
    return [
        ZoneCandidate(
            zone_id=r.id, party_id=r.party_id, priority=r.priority,
            area_m2=r.area_m2 or 0.0, name=r.name,
        )
        for r in rows
    ]


def service_area_configured(session: Session) -> bool:
    return session.scalar(select(literal(True)).select_from(ServiceArea).limit(1)) is not None


def service_area_covers(session: Session, lon: float, lat: float) -> bool:
    """True when no service area is configured, or one of them covers the point."""
    if not service_area_configured(session):
        return True
    covered = select(literal(True)).where(func.ST_Covers(ServiceArea.geom, _point(lon, lat)))
    return session.scalar(covered.limit(1)) is not None


def service_area_geojson(session: Session) -> list[tuple[str, str]]:
    """(name, GeoJSON geometry text) of every service area."""
    rows = session.execute(select(ServiceArea.name, func.ST_AsGeoJSON(ServiceArea.geom, 6)))
    return [(name, geojson) for name, geojson in rows]

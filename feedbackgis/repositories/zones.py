"""Zone and service-area queries."""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from geoalchemy2 import WKBElement
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    Integer,
    all_,
    any_,
    bindparam,
    exists,
    func,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from feedbackgis.domain.routing import ZoneCandidate
from feedbackgis.geo.crs import WGS84
from feedbackgis.models import (
    Category,
    Party,
    Report,
    ServiceArea,
    Zone,
    ZonePart,
    zone_category,
)


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
    covering_zone_ids = (
        select(part.zone_id).where(_part_covers(pt)).distinct()
    ).subquery()
    return (
        select(zone.id, zone.party_id, zone.priority, zone.area_m2, zone.name,
               zone.handling_days, party.name.label("party_name"))
        .join(covering_zone_ids, covering_zone_ids.c.zone_id == zone.id)
        .join(Party.__table__, party.id == zone.party_id)
        .where(*_zone_routes(bindparam("category_id", type_=Integer),
                             bindparam("at", type_=DateTime(timezone=True))))
    )


def _part_covers(pt: ColumnElement[Any]) -> ColumnElement[bool]:
    return func.ST_Covers(ZonePart.__table__.c.geom, pt)


def _zone_routes(category_id: ColumnElement[int], at: ColumnElement[datetime]
                 ) -> tuple[ColumnElement[bool], ...]:
    """The conditions besides covering the point: the rules every routing query shares."""
    zone, party = Zone.__table__.c, Party.__table__.c
    takes_category = or_(
        zone.all_categories,
        exists().where(zone_category.c.zone_id == zone.id,
                       zone_category.c.category_id == category_id),
    )
    return (
        party.active,
        takes_category,
        or_(zone.valid_from.is_(None), zone.valid_from <= at),
        or_(zone.valid_to.is_(None), zone.valid_to > at),
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
            area_m2=r.area_m2 or 0.0, name=r.name, handling_days=r.handling_days,
            party_name=r.party_name,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ReportToRoute:
    id: int
    category_id: int
    default_party_id: int | None  # the category's
    has_point: bool


def latest_reports_to_route(session: Session, limit: int) -> list[ReportToRoute]:
    """The `limit` newest reports (whatever their status), newest first."""
    report, category = Report.__table__.c, Category.__table__.c
    rows = session.execute(
        select(report.id, report.category_id, category.default_party_id,
               report.location.is_not(None).label("has_point"))
        .join(Category.__table__, category.id == report.category_id)
        .order_by(report.id.desc())
        .limit(limit)
    )
    return [ReportToRoute(r.id, r.category_id, r.default_party_id, r.has_point) for r in rows]


def candidate_zones_of_reports(
    session: Session, report_ids: Sequence[int], at: datetime,
    left_out_zone_ids: Collection[int] = (),
) -> dict[int, list[ZoneCandidate]]:
    """candidate_zones for many reports in one query (report id -> candidates), each at its
    own point and category, the zones `left_out_zone_ids` left out (as if deleted).

    The same conditions as candidate_zones_query (_part_covers, _zone_routes), so a batch
    cannot route differently from a report's own lookup; the point is the report's column
    instead of a parameter, so the covering parts are a LATERAL subquery per report."""
    zone, party, report = Zone.__table__.c, Party.__table__.c, Report.__table__.c
    covering = (
        select(ZonePart.__table__.c.zone_id).where(_part_covers(report.location)).distinct()
    ).lateral("covering")
    query = (
        select(report.id.label("report_id"), zone.id, zone.party_id, zone.priority,
               zone.area_m2, zone.name)
        .select_from(Report.__table__)
        .join(covering, true())
        .join(Zone.__table__, zone.id == covering.c.zone_id)
        .join(Party.__table__, party.id == zone.party_id)
        .where(report.id == any_(bindparam("ids", type_=ARRAY(Integer))),
               *_zone_routes(report.category_id,
                             bindparam("at", type_=DateTime(timezone=True))))
    )
    parameters: dict[str, object] = {"ids": list(report_ids), "at": at}
    if left_out_zone_ids:
        query = query.where(zone.id != all_(bindparam("left_out", type_=ARRAY(Integer))))
        parameters["left_out"] = list(left_out_zone_ids)
    # The planner prices the per-report lookups far above their cost (an index probe
    # each), and JIT compilation would take more time than the whole query without it.
    session.execute(text("SET LOCAL jit = off"))
    found: dict[int, list[ZoneCandidate]] = {}
    for r in session.execute(query, parameters):
        found.setdefault(r.report_id, []).append(ZoneCandidate(
            zone_id=r.id, party_id=r.party_id, priority=r.priority,
            area_m2=r.area_m2 or 0.0, name=r.name,
        ))
    return found


def zone_ids_of_parties(session: Session, party_ids: Collection[int]) -> list[int]:
    if not party_ids:
        return []
    return list(session.scalars(select(Zone.id).where(Zone.party_id.in_(list(party_ids)))))


def _service_area_query(predicate: ColumnElement[bool]):  # noqa: ANN202
    """True when no service area is configured, or one satisfies `predicate`; one query."""
    any_area = exists(select(ServiceArea.id))
    matching_area = exists(select(ServiceArea.id).where(predicate))
    return select(or_(~any_area, matching_area))


def _service_area_allows(session: Session, predicate: ColumnElement[bool]) -> bool:
    return bool(session.scalar(_service_area_query(predicate)))


# Built once, as CANDIDATE_ZONES: every submission with a point asks it.
SERVICE_AREA_COVERS = _service_area_query(func.ST_Covers(
    ServiceArea.geom, _point(bindparam("lon", type_=Float), bindparam("lat", type_=Float))))


def service_area_covers(session: Session, lon: float, lat: float) -> bool:
    """True when no service area is configured, or one of them covers the point."""
    return bool(session.connection().scalar(SERVICE_AREA_COVERS, {"lon": lon, "lat": lat}))


def service_area_intersects(session: Session, area: WKBElement) -> bool:
    """True when no service area is configured, or `area` (EPSG:4326) shares ground with one."""
    return _service_area_allows(session, func.ST_Intersects(ServiceArea.geom, area))


def service_area_geojson(session: Session) -> list[tuple[str, str]]:
    """(name, GeoJSON geometry text) of every service area."""
    rows = session.execute(select(ServiceArea.name, func.ST_AsGeoJSON(ServiceArea.geom, 6)))
    return [(name, geojson) for name, geojson in rows]

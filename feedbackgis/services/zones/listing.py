"""list_zones and delete_zones: looking after the zones an import left."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from feedbackgis.errors import NotFound
from feedbackgis.models import Category, Party, Zone, zone_category
from feedbackgis.repositories.zone_map import zone_shapes
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor
from feedbackgis.services.transaction import transaction
from feedbackgis.services.zones.zone_audit import record_zone_changes


@dataclass(frozen=True)
class ZoneListing:
    id: int
    party: str
    name: str
    priority: int
    categories: tuple[str, ...] | None  # None: every category
    valid_from: datetime | None
    valid_to: datetime | None  # exclusive
    area_km2: float | None


def list_zones(session: Session, party: str | None = None) -> list[ZoneListing]:
    """Every zone (or one party's), by party, highest priority first. Geometries stay in
    the database: a listing of 10,000 detailed zones must not fetch their vertices."""
    query = (
        select(Zone.id, Party.name.label("party"), Zone.name, Zone.priority, Zone.all_categories,
               Zone.valid_from, Zone.valid_to, Zone.area_m2)
        .join(Party, Party.id == Zone.party_id)
        .order_by(Party.name, Zone.priority.desc(), Zone.name, Zone.id)
    )
    party_id = _party_id(session, party) if party is not None else None
    if party_id is not None:
        query = query.where(Zone.party_id == party_id)
    rows = session.execute(query).all()
    codes = _category_codes(session, party_id)
    return [
        ZoneListing(
            id=r.id, party=r.party, name=r.name, priority=r.priority,
            categories=None if r.all_categories else tuple(codes.get(r.id, ())),
            valid_from=r.valid_from, valid_to=r.valid_to,
            area_km2=r.area_m2 / 1e6 if r.area_m2 is not None else None,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ZoneOnMap:
    zone: ZoneListing
    geometry: dict[str, Any]  # GeoJSON in lon/lat, simplified for display


def zones_on_map(session: Session) -> list[ZoneOnMap]:
    """Every zone with its outline simplified for a map, the zone routing prefers last."""
    listed = {zone.id: zone for zone in list_zones(session)}
    return [ZoneOnMap(listed[shape.id], shape.geometry) for shape in zone_shapes(session)
            if shape.id in listed]


def count_zones(session: Session, party: str) -> int:
    query = select(func.count()).select_from(Zone)
    return session.scalar(query.where(Zone.party_id == _party_id(session, party))) or 0


def delete_zones(session: Session, party: str, *, actor: ChangeActor = SYSTEM) -> int:
    """Delete every zone of the party (their parts and category links cascade), recorded in
    the audit trail as made by `actor`; commits."""
    party_id = _party_id(session, party)
    with transaction(session):
        deleted = session.execute(
            delete(Zone).where(Zone.party_id == party_id),
            execution_options={"synchronize_session": False},
        ).rowcount
        if deleted:
            record_zone_changes(session, actor, "delete", {party: party_id}, {party: deleted})
    return deleted


def _party_id(session: Session, name: str) -> int:
    party_id = session.scalar(select(Party.id).where(Party.name == name))
    if party_id is None:
        raise NotFound(f"No party named {name!r}. See `feedbackgis parties list`.")
    return party_id


def _category_codes(session: Session, party_id: int | None) -> dict[int, list[str]]:
    """Category codes of zones (of one party, or all), by zone id."""
    query = (
        select(zone_category.c.zone_id, Category.code)
        .join(Category, Category.id == zone_category.c.category_id)
        .order_by(Category.code)
    )
    if party_id is not None:
        query = query.join(Zone, Zone.id == zone_category.c.zone_id).where(
            Zone.party_id == party_id
        )
    codes: dict[int, list[str]] = {}
    for zone_id, code in session.execute(query):
        codes.setdefault(zone_id, []).append(code)
    return codes

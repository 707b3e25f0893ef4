"""Small builders for rows the tests need; each flushes so ids are known."""
from __future__ import annotations

import itertools
from datetime import datetime

import shapely
from sqlalchemy.orm import Session

from feedbackgis.geo.convert import as_multipolygon, to_db
from feedbackgis.models import Category, Party, PartyKind, PublishPolicy, ServiceArea, Zone

_seq = itertools.count(1)


def make_party(session: Session, name: str | None = None, *, kind: PartyKind = PartyKind.UNIT,
               active: bool = True, emails: list[str] | None = None) -> Party:
    party = Party(kind=kind, name=name or f"Party {next(_seq)}", active=active,
                  emails=emails or [])
    session.add(party)
    session.flush()
    return party


def make_category(session: Session, code: str | None = None, *,
                  default_party: Party | None = None, active: bool = True,
                  publish_policy: PublishPolicy = PublishPolicy.IMMEDIATE,
                  share_contact_with_party: bool = False) -> Category:
    code = code or f"category-{next(_seq)}"
    category = Category(
        code=code, name_fi=f"{code} fi", name_sv=f"{code} sv", name_en=f"{code} en",
        default_party_id=default_party.id if default_party else None, active=active,
        publish_policy=publish_policy, share_contact_with_party=share_contact_with_party,
    )
    session.add(category)
    session.flush()
    return category


def make_zone(session: Session, party: Party, geometry: shapely.Geometry, *, priority: int = 0,
              categories: list[Category] | None = None, name: str | None = None,
              valid_from: datetime | None = None, valid_to: datetime | None = None) -> Zone:
    """A zone from a shapely geometry in EPSG:4326 (lon, lat)."""
    zone = Zone(
        party_id=party.id, name=name or f"Zone {next(_seq)}", source="test",
        geom=to_db(as_multipolygon(geometry)), priority=priority,
        all_categories=categories is None, categories=categories or [],
        valid_from=valid_from, valid_to=valid_to,
    )
    session.add(zone)
    session.flush()
    session.refresh(zone)  # area_m2 is set by a database trigger
    return zone


def make_service_area(session: Session, geometry: shapely.Geometry,
                      name: str = "Test municipality") -> ServiceArea:
    area = ServiceArea(name=name, geom=to_db(as_multipolygon(geometry)))
    session.add(area)
    session.flush()
    return area

"""Spatial zones (maintenance areas, contract areas) that route reports to parties.

`zone_part` is a subdivided copy of each zone's polygon for fast point lookups; the database
keeps it in step with `zone.geom` through a trigger (see the initial migration), so every
write path (import, CLI, SQL by hand) stays consistent.
"""
from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackgis.models.base import Base, created_at_column
from feedbackgis.models.category import Category
from feedbackgis.models.party import Party

zone_category = Table(
    "zone_category",
    Base.metadata,
    Column("zone_id", ForeignKey("zone.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id", ondelete="CASCADE"), primary_key=True),
)


class Zone(Base):
    __tablename__ = "zone"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500), default="", server_default="")
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True)
    )
    # True: the zone takes every category; False: only those in zone_category.
    all_categories: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The contract's handling time in working days here, instead of the category's.
    handling_days: Mapped[int | None] = mapped_column(SmallInteger)
    valid_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Geodesic area, set by a trigger; the routing tie-break prefers the smaller zone.
    area_m2: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = created_at_column()

    party: Mapped[Party] = relationship(lazy="joined")
    categories: Mapped[list[Category]] = relationship(secondary=zone_category)


class ZonePart(Base):
    __tablename__ = "zone_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="CASCADE"), index=True)
    geom: Mapped[WKBElement] = mapped_column(Geometry("POLYGON", srid=4326, spatial_index=True))


class ServiceArea(Base):
    """The municipality's boundary: reports outside it are refused."""

    __tablename__ = "service_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True)
    )
    created_at: Mapped[datetime] = created_at_column()

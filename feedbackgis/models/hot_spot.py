"""Recurring hot spots: places where the same kind of problem was reported again and again.

Made nightly by services/analytics/hot_spots.py (ST_ClusterDBSCAN over the last 12 months,
per category, in the metric CRS); each run replaces every row, so they are never stale
by more than a day and never half-written (one transaction).
"""
from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import DateTime, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column


class HotSpot(Base):
    __tablename__ = "hot_spot"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"),
                                             index=True)
    report_count: Mapped[int] = mapped_column(Integer)
    # The convex hull of its reports (a point or a line when they are on one spot or row).
    hull: Mapped[WKBElement] = mapped_column(Geometry("GEOMETRY", srid=4326, spatial_index=True))
    centre: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=False))
    first_reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    computed_at: Mapped[datetime] = created_at_column()


class HotSpotReport(Base):
    __tablename__ = "hot_spot_report"

    hot_spot_id: Mapped[int] = mapped_column(ForeignKey("hot_spot.id", ondelete="CASCADE"),
                                             primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)

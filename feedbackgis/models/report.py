"""Reports, their reporter's contact (kept apart), and their events (the audit trail)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    String,
    Text,
    false,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models.base import Base, created_at_column, value_enum
from feedbackgis.models.category import Category
from feedbackgis.models.party import Party
from feedbackgis.models.photo import Photo


class Report(Base):
    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    # A point, or only an address text when the reporter could not pin it.
    location: Mapped[WKBElement | None] = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=True)
    )
    address: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="fi", server_default="fi")
    status: Mapped[ReportStatus] = mapped_column(
        value_enum(ReportStatus, "report_status"),
        default=ReportStatus.RECEIVED,
        server_default=ReportStatus.RECEIVED.value,
        index=True,
    )
    assigned_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id", ondelete="SET NULL"), index=True
    )
    assigned_zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id", ondelete="SET NULL"))
    # Answers to the category's extra questions, {question code: value}, checked against the
    # questions at submission (domain/questions.py). Read whole with the report, never queried
    # across reports by answer: a column, not a table of typed values joined on every read.
    answers: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the report became public (at submission, or when moderation publishes it):
    # digests list what was published since the last one, not what was created.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The follow-up token is derived from the secret key and this nonce (domain/tokens.py);
    # only its SHA-256 is stored, for lookups.
    follow_up_nonce: Mapped[str] = mapped_column(String(64))
    follow_up_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    category: Mapped[Category] = relationship(lazy="joined")
    assigned_party: Mapped[Party | None] = relationship(lazy="joined")
    events: Mapped[list[ReportEvent]] = relationship(
        back_populates="report", order_by="ReportEvent.id", cascade="all, delete-orphan"
    )
    # Read-only: photos are attached by services/photos, and go with the report in the
    # database (ON DELETE CASCADE).
    photos: Mapped[list[Photo]] = relationship(order_by="Photo.position", viewonly=True)


class ReporterContact(Base):
    """Personal data of the reporter, one row per report, never joined into public output."""

    __tablename__ = "reporter_contact"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    # Consent to be contacted about this report (GDPR: the legal basis is recorded).
    consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = created_at_column()


class EventKind(enum.StrEnum):
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    TRIAGED = "triaged"
    STATUS_CHANGED = "status_changed"
    COMMENT = "comment"


class ReportEvent(Base):
    """Every change of a report: who, when, from what to what, and why."""

    __tablename__ = "report_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(
        value_enum(EventKind, "event_kind")
    )
    actor: Mapped[str] = mapped_column(String(200))
    from_status: Mapped[ReportStatus | None] = mapped_column(
        value_enum(ReportStatus, "report_status", create_type=False)
    )
    to_status: Mapped[ReportStatus | None] = mapped_column(
        value_enum(ReportStatus, "report_status", create_type=False)
    )
    note: Mapped[str | None] = mapped_column(Text)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    created_at: Mapped[datetime] = created_at_column()

    report: Mapped[Report] = relationship(back_populates="events")

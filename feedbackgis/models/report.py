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
    Index,
    SmallInteger,
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
    __table_args__ = (
        # The staff inbox of a party (repositories/staff_inbox.py): its reports in the
        # chosen statuses, counted and sorted by every filter and sort column without
        # reading the reports themselves (index-only scans).
        Index("ix_report_inbox", "assigned_party_id", "status",
              postgresql_include=["id", "category_id", "assigned_zone_id",
                                  "assigned_user_id", "created_at", "updated_at", "due_at"]),
        # The figures (services/analytics/), exports and heatmaps: reports of a period.
        Index("ix_report_created_at", "created_at"),
        # Open311's bbox and radius (repositories/open311.py): public reports in a viewport.
        Index("ix_report_public_location", "location", postgresql_using="gist",
              postgresql_where="is_public"),
    )

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
    # Indexed by ix_report_inbox, whose first column it is.
    assigned_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("party.id", ondelete="SET NULL")
    )
    assigned_zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id", ondelete="SET NULL"))
    # The person of the party working on it (optional), and when it is due: set on
    # assignment from the handling time in working days (domain/due_dates.py).
    assigned_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How far an overdue report has been escalated: 0 not yet, 1 its party told, 2 the
    # party's manager told (services/reports/escalation.py).
    escalation_level: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # A duplicate points to the report it was merged into.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("report.id", ondelete="SET NULL"), index=True)
    # The moderator's edit of the description for the public (the reporter's own text stays
    # in description, shown to staff only); none when the original is public as it is.
    public_description: Mapped[str | None] = mapped_column(Text)
    # Waiting in the moderation queue: its category publishes after moderation, or it was
    # to be published at once but personal data was found in it.
    moderation_pending: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=false())
    # The work order's capability link is derived from the secret key and this nonce
    # (domain/tokens.py); a new one on every assignment, none once closed, so a link stops
    # working when the report is reassigned or closed.
    work_order_nonce: Mapped[str | None] = mapped_column(String(64))
    # The closed loop: a fixed report asks its reporter and followers "is it fixed?" until
    # this moment; left unanswered, it stays fixed. Each "not fixed" reopens it (counted).
    fix_check_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reopen_count: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # Answers to the category's extra questions, {question code: value}, checked against the
    # questions at submission (domain/questions.py). Read whole with the report, never queried
    # across reports by answer: a column, not a table of typed values joined on every read.
    answers: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # How it was sent, for the managers' usage figures: from a phone or a computer's browser,
    # or by another system (domain/figures.py reads the User-Agent); queued on the device
    # while it had no connection and sent later; with a way to contact the reporter (kept
    # when retention removes the contact itself).
    submitted_from: Mapped[str | None] = mapped_column(String(10))
    sent_offline: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    with_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Kept by the database from the events (trigger report_event_figures, migration 0010),
    # whoever writes them: the first public answer or status change by a person (staff or a
    # contractor; not the automatic ones), and when it was last fixed (none once reopened).
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fixed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the report became public (at submission, or when moderation publishes it):
    # digests list what was published since the last one, not what was created.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The follow-up token is derived from the secret key and this nonce (domain/tokens.py);
    # only its SHA-256 is stored, for lookups.
    follow_up_nonce: Mapped[str] = mapped_column(String(64))
    follow_up_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    # Indexed: the figures' refresh finds the months with changed reports by it.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), index=True
    )

    category: Mapped[Category] = relationship(lazy="joined")
    assigned_party: Mapped[Party | None] = relationship(lazy="joined")
    # The original of a duplicate (read only when a page asks).
    merged_into: Mapped[Report | None] = relationship(remote_side="Report.id",
                                                      foreign_keys=[merged_into_id])
    events: Mapped[list[ReportEvent]] = relationship(
        back_populates="report", order_by="ReportEvent.id", cascade="all, delete-orphan"
    )
    # Read-only: photos are attached by services/photos, and go with the report in the
    # database (ON DELETE CASCADE).
    photos: Mapped[list[Photo]] = relationship(order_by="Photo.position", viewonly=True)

    @property
    def public_text(self) -> str:
        """The description as the public reads it: the moderator's edit, if any."""
        return self.public_description if self.public_description is not None else self.description


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
    ASSIGNED = "assigned"  # to a party (routing, or reassignment by staff)
    TRIAGED = "triaged"
    STATUS_CHANGED = "status_changed"
    COMMENT = "comment"  # the reporter added information or a photo
    REPLY = "reply"  # staff answered the resident: public
    NOTE = "note"  # staff's internal note: never outside
    PERSON_ASSIGNED = "person_assigned"
    RECATEGORISED = "recategorised"
    LOCATED = "located"  # staff pinned or moved its point
    MERGED = "merged"  # data: {"into": id} on the duplicate, {"from": id} on the original
    ESCALATED = "escalated"
    MODERATED = "moderated"  # public text edited; data keeps the text before
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    PHOTO_HIDDEN = "photo_hidden"
    PHOTO_SHOWN = "photo_shown"
    ACCEPTED = "accepted"  # the contractor took the work order
    HANDED_BACK = "handed_back"  # the contractor gave it back, with a reason (to triage)
    FIX_CONFIRMED = "fix_confirmed"  # the reporter (or a follower) said it is fixed
    REOPENED = "reopened"  # "not fixed": back to the same party; counts against it


class ReportEvent(Base):
    """Every change of a report: who, when, from what to what, and why."""

    __tablename__ = "report_event"
    __table_args__ = (
        # Open311's GET servicerequestupdates: the public events of a period, in time order.
        Index("ix_report_event_public_created_at", "created_at",
              postgresql_where="is_public"),
        # A report's latest public reply (Open311's status_notes for every request of a
        # page): one probe, backwards (repositories/open311_documents.PUBLIC_REPLY).
        Index("ix_report_event_public_reply", "report_id", "id",
              postgresql_where="kind = 'reply' AND is_public AND note IS NOT NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(
        value_enum(EventKind, "event_kind")
    )
    actor: Mapped[str] = mapped_column(String(200))
    # The staff member who acted, when one did (actor names the role or system otherwise).
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
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

"""Open311 both ways: what client systems sent us, and what we sent to parties' systems.

- `Open311Submission`: a report that came in by `POST requests` — which API key sent it,
  the token the answer gave (`tokens/{token}`), and the client's own ids.
- `Open311Delivery`: a report sent by Open311 POST to the system of the party it was
  assigned to; the row is the record of that delivery (never silently dropped: a failed
  one stays, with its error, for admins to see and send again).
- `Open311UpdateReceived`: an update that reached a report from another system (a POST of
  `servicerequestupdates`, or one pulled from a party's system), kept by its update_id so
  that the same update applied twice changes the report once.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column, value_enum


class Open311Submission(Base):
    __tablename__ = "open311_submission"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_key.id"), index=True)
    # Returned with the service_request_id; tokens/{token} finds the request by it.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # The client's own identifiers of the device and the account that sent it (the spec's
    # device_id and account_id): never public, kept for the client's support questions.
    device_id: Mapped[str | None] = mapped_column(String(200))
    account_id: Mapped[str | None] = mapped_column(String(200))
    # A photo the client hosts (the spec's media_url), fetched by a job into the photo
    # pipeline (checked, re-encoded, metadata stripped) like an uploaded one.
    media_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = created_at_column()


class DeliveryState(enum.StrEnum):
    PENDING = "pending"  # to be sent (or being retried)
    SENT = "sent"  # the party's system took it (a service_request_id or a token came back)
    FAILED = "failed"  # every retry failed: an admin sees it and may send it again


class Open311Delivery(Base):
    __tablename__ = "open311_delivery"
    __table_args__ = (UniqueConstraint("report_id", "party_id"),
                      Index("ix_open311_delivery_state", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"),
                                          index=True)
    state: Mapped[DeliveryState] = mapped_column(
        value_enum(DeliveryState, "open311_delivery_state"), default=DeliveryState.PENDING)
    # What the party's system answered: its id of the request, or a token until it has one.
    service_request_id: Mapped[str | None] = mapped_column(String(200))
    token: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Open311UpdateReceived(Base):
    __tablename__ = "open311_update_received"
    __table_args__ = (
        # An update is one per sender: the party (pulled from its system, or pushed with a
        # key of its system, api_key_id then saying which), or a key without a party.
        Index("uq_open311_update_received_api_key", "api_key_id", "update_id", unique=True,
              postgresql_where="party_id IS NULL"),
        Index("uq_open311_update_received_party", "party_id", "update_id", unique=True,
              postgresql_where="party_id IS NOT NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"))
    update_id: Mapped[str] = mapped_column(String(200))
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"),
                                           index=True)
    # The event it made (none when it changed nothing, e.g. the status it already had).
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_event.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()

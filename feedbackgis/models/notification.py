"""Email notifications: one row per message, keyed so that a retried job sends it once."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column, value_enum


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # claimed by a job, not yet accepted by the mail server
    SENT = "sent"  # accepted by the mail server: never sent again
    FAILED = "failed"  # the last attempt failed; a retry may still send it


class Notification(Base):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the message is about and for whom, e.g. "assigned:outbox-17:viat@example.fi".
    # A job that runs twice finds the row and does not send again.
    idempotency_key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("report.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[DeliveryStatus] = mapped_column(
        value_enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING,
        server_default=DeliveryStatus.PENDING.value,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

"""Idempotency keys of client requests: a resent request gets the first one's answer."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column


class IdempotentRequest(Base):
    """The first request made with an Idempotency-Key, and what it created.

    The key is the client's; it is stored hashed with the operation (one client's key means
    nothing to another operation). The stored answer holds no capability token: a replay
    derives it again from the report, so the database keeps no secret.
    """

    __tablename__ = "idempotent_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    operation: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the request body as parsed (key order and spacing do not matter).
    fingerprint: Mapped[str] = mapped_column(String(64))
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    response: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = created_at_column()

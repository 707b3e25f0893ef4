"""Responsible parties: the municipality's own units and its contractors."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, String, Text, true
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column, value_enum


class PartyKind(enum.StrEnum):
    UNIT = "unit"
    CONTRACTOR = "contractor"


class Party(Base):
    __tablename__ = "party"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PartyKind] = mapped_column(
        value_enum(PartyKind, "party_kind")
    )
    name: Mapped[str] = mapped_column(String(200), unique=True)
    emails: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    # Told when the party's reports are overdue after the party itself was (escalation);
    # the service's managers are told when it has none.
    manager_email: Mapped[str | None] = mapped_column(String(320))
    # Contractor systems: an optional webhook, told of assignments and public changes, each
    # request signed with HMAC-SHA256 over its timestamp and body with this secret (which
    # must be kept as it is, to sign; shown once when set).
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_secret: Mapped[str | None] = mapped_column(String(128))
    # Its own Open311 GeoReport v2 system, if it has one: each report assigned to it is
    # sent there by POST requests (models/open311.Open311Delivery), and the updates made
    # there are pulled back from its servicerequestupdates on a schedule. The key is sent
    # as it is, so it is kept as it is (like the webhook secret), and never shown again.
    open311_url: Mapped[str | None] = mapped_column(String(2000))  # the endpoint's root
    open311_api_key: Mapped[str | None] = mapped_column(String(200))
    open311_jurisdiction_id: Mapped[str | None] = mapped_column(String(200))
    # Our category code -> its service_code, where they differ (the same code otherwise).
    open311_service_codes: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default="{}")
    # Updates are pulled from this moment on (the newest one's updated_datetime seen).
    open311_updates_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last pull that went through, and the last that failed (its error, without the
    # URL or the key; cleared by the next success), for the admins.
    open311_pulled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    open311_pull_error: Mapped[str | None] = mapped_column(Text)
    open311_pull_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The language of the emails to its addresses that no person chose (monthly summaries).
    language: Mapped[str] = mapped_column(String(2), default="fi", server_default="fi")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<Party {self.id} {self.kind} {self.name!r}>"

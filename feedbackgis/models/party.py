"""Responsible parties: the municipality's own units and its contractors."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, String, Text, true
from sqlalchemy.dialects.postgresql import ARRAY
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
    # The language of the emails to its addresses that no person chose (monthly summaries).
    language: Mapped[str] = mapped_column(String(2), default="fi", server_default="fi")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<Party {self.id} {self.kind} {self.name!r}>"

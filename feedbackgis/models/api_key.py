"""API keys of the systems that use the Open311 API: one per client system, stored hashed.

A key is named for the system that uses it (unique); the database keeps only its SHA-256
(domain/tokens.hash_token), so a database dump gives no key. A revoked key stays for the
record and authenticates nobody.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackgis.models.base import Base, created_at_column

if TYPE_CHECKING:
    from feedbackgis.models.party import Party


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # the system ("Kaupunkiapp")
    # SHA-256 of the key (a random secret printed once by `feedbackgis apikeys create`).
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A party's own system (a contractor's, a unit's back-end): with it, the key may post
    # status changes and replies to that party's reports (servicerequestupdates). A key
    # without a party sends reports and adds to the requests it sent, nothing more.
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id", ondelete="SET NULL"))
    party: Mapped[Party | None] = relationship()
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

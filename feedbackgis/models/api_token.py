"""API tokens of contractor systems: a party's bearer token, stored hashed, revocable."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackgis.models.base import Base, created_at_column
from feedbackgis.models.party import Party


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(200))  # what it is for ("Urakoitsija Oy ERP")
    # SHA-256 of the token (a random secret printed once by `feedbackgis tokens create`).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    party: Mapped[Party] = relationship(lazy="joined")

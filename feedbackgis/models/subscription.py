"""Residents who asked to hear about reports: in an area (daily digest) or one report."""
from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column


class EmailConfirmed:
    """Columns of a subscription that exists only once its email address is confirmed.

    The confirm and unsubscribe links carry tokens derived from the secret key and
    `token_nonce` (domain/tokens.py); only their SHA-256 hashes are stored, for lookups.
    """

    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    token_nonce: Mapped[str] = mapped_column(String(64))
    confirm_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    unsubscribe_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()


class AreaSubscription(EmailConfirmed, Base):
    """New public reports inside `area`, as a daily digest."""

    __tablename__ = "area_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[WKBElement] = mapped_column(Geometry("POLYGON", srid=4326, spatial_index=True))
    # Reports created after this instant go into the next digest.
    digest_since: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportFollower(EmailConfirmed, Base):
    """A resident following someone else's report instead of filing a duplicate."""

    __tablename__ = "report_follower"
    __table_args__ = (UniqueConstraint("report_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), index=True
    )

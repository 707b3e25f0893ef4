"""The audit trail of the admin pages and commands: who changed what, when, from what to what."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column


class AdminChange(Base):
    __tablename__ = "admin_change"
    __table_args__ = (
        # An entity's page reads its own history, newest first.
        Index("ix_admin_change_entity", "entity", "entity_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The admin who made it; none for a change from the command line.
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(320))  # who, as shown (the email, or "cli")
    entity: Mapped[str] = mapped_column(String(50))  # "category", "party", "zone", "user" ...
    entity_id: Mapped[str] = mapped_column(String(100))  # its id or code
    action: Mapped[str] = mapped_column(String(50))  # "create", "update", "delete" ...
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()

"""Staff accounts: who signs in to work on reports, with their role and (for some) party."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackgis.domain.permissions import Role
from feedbackgis.models.base import Base, created_at_column, value_enum
from feedbackgis.models.party import Party


class StaffUser(Base):
    __tablename__ = "staff_user"
    __table_args__ = (
        # Stored lower-case, so the unique constraint is one per address whatever its case.
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        # Handlers and contractors belong to one party; the other roles to none.
        CheckConstraint("(role IN ('handler', 'contractor')) = (party_id IS NOT NULL)",
                        name="party_of_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(value_enum(Role, "staff_role"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"), index=True)
    # argon2 (its own encoded string, parameters included); none for sign-in by SSO only.
    password_hash: Mapped[str | None] = mapped_column(Text)
    # The language of the emails the service sends them on its own (monthly summaries).
    language: Mapped[str] = mapped_column(String(2), default="fi", server_default="fi")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Failed sign-ins in a row, and until when the account is locked after too many.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Counts the times every session of the account was ended (signing out): a session
    # opened before, even on a copied cookie, is no longer valid (web/staff/session.py).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = created_at_column()
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    party: Mapped[Party | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<StaffUser {self.id} {self.role} {self.email!r}>"

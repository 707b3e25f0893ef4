"""Every time a staff member is shown a reporter's contact details (GDPR accountability).

Kept when the report goes (retention): the log says who saw whose data, not the data.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column


class ContactAccess(Base):
    __tablename__ = "contact_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the entry outlives the report.
    report_id: Mapped[int] = mapped_column(Integer, index=True)
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    # Where it was shown: "staff_page", "export" ...
    context: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = created_at_column()

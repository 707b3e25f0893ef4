"""Response templates: staff's ready answers per category and status, in fi/sv/en.

A template with auto_response is sent to the reporter (as a public reply) when a report of
its category enters its status; one without is offered on the staff page to start a reply.
A template of no category applies to every category that has none of its own.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models.base import Base, created_at_column, value_enum


class ResponseTemplate(Base):
    __tablename__ = "response_template"
    __table_args__ = (
        # At most one automatic answer per category (or for every category) and status.
        Index("uq_response_template_auto", text("coalesce(category_id, 0)"), "status",
              unique=True, postgresql_where=text("auto_response")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True)
    status: Mapped[ReportStatus] = mapped_column(
        value_enum(ReportStatus, "report_status", create_type=False))
    title: Mapped[str] = mapped_column(String(200))  # what staff pick it by
    text_fi: Mapped[str] = mapped_column(Text)
    text_sv: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    auto_response: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = created_at_column()

    def text(self, language: str) -> str:
        return getattr(self, f"text_{language}", None) or self.text_fi

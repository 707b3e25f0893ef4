"""Photos of reports: re-encoded copies only (the uploaded bytes are never kept).

A resident uploads a photo before submitting the report; the upload answers with a token
(a capability, stored hashed) that the submission names to attach it. Until then report_id
is null, and an upload never attached is pruned after a day.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column, value_enum


class PhotoKind(enum.StrEnum):
    REPORTER = "reporter"  # sent with the report
    FOLLOW_UP = "follow_up"  # added by the reporter later
    AFTER = "after"  # the contractor's photo of the work done


class Photo(Base):
    __tablename__ = "photo"
    __table_args__ = (
        # The nightly pruning looks for uploads never attached.
        Index("ix_photo_unattached", "created_at", postgresql_where=text("report_id IS NULL")),
        # A report's first photo anyone may see (Open311's media_url for every request of a
        # page): one probe, index only.
        Index("ix_photo_shown", "report_id", "position", "id", postgresql_where=text("NOT hidden")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Storage keys (media/storage.py) of the re-encoded photo and of its thumbnail (made by
    # a background job; null until then).
    image_key: Mapped[str] = mapped_column(String(200), unique=True)
    thumbnail_key: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50), default="image/jpeg",
                                              server_default="image/jpeg")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)  # of the re-encoded photo
    # Staff hide a photo from the public (a face, a number plate); it is then served to no one.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    kind: Mapped[PhotoKind] = mapped_column(
        value_enum(PhotoKind, "photo_kind"), default=PhotoKind.REPORTER,
        server_default=PhotoKind.REPORTER.value)
    # SHA-256 of the upload token (a random secret shown to the uploader once).
    upload_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()

"""Files made by a job for a staff member: large exports and heatmaps.

The page asks for one (a row, and an outbox message in the same transaction), a worker
makes it and reports its progress here, and the page offers it for download when done.
A file made for the same filters from the same data is reused (cache_key), until it
expires; the nightly maintenance deletes expired files and their rows.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.models.base import Base, created_at_column, value_enum


class FileKind(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    GEOJSON = "geojson"
    GPKG = "gpkg"
    HEATMAP = "heatmap"  # an HTML page of folium


class FileState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PreparedFile(Base):
    __tablename__ = "prepared_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[FileKind] = mapped_column(value_enum(FileKind, "file_kind"))
    # The filters and options it was asked with (the same the page shows), as JSON.
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # Who asked: a file is offered to its requester only (it may hold their scope's data).
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    # SHA-256 over kind, params, scope and the state of the data: the same ask, reused.
    cache_key: Mapped[str] = mapped_column(String(64), index=True)
    # The reporters' contacts are in it (asked for explicitly; each shown one is logged).
    with_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    state: Mapped[FileState] = mapped_column(value_enum(FileState, "file_state"),
                                             default=FileState.QUEUED)
    rows_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rows_total: Mapped[int | None] = mapped_column(Integer)
    # Relative to the configured EXPORT_FOLDER; set when done.
    path: Mapped[str | None] = mapped_column(String(300))
    byte_size: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def progress(self) -> int:
        """Percent done, for the page's progress bar."""
        if self.state is FileState.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

"""Files a job prepares for a staff member (report exports, heatmaps): asked for, made with
progress, offered to their requester, reused while the data is unchanged, deleted when old.

request_file writes the row and an outbox message (FILE_REQUESTED) in one transaction;
the job (jobs/prepared_files.py) calls make_file, which hands the work to the kind's maker:

    maker(session, prepared, path, progress) -> None

It writes the file at `path` (a temporary name, renamed once the maker returns), reads what
it needs from FileParams.of(prepared), and calls progress(rows_done, rows_total) after each
batch (which commits, so the page sees it). A maker that logs something (contact_access)
adds the rows to the session at its end: they commit together with the file's DONE.

Only one worker makes a file at a time (its work lock, repositories/work_locks.py: a job
delivered twice at once is made once), and only while its requester still has the rights
it was asked with (require_still_allowed, checked again by file_of on every view and
download). The files live in the export folder (file_folder.py), which the nightly
delete_expired_files also sweeps of what a killed worker or a deleted row left behind.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.errors import Forbidden, InvalidInput, NotFound
from feedbackgis.i18n import LANGUAGES
from feedbackgis.models import FileKind, FileState, OutboxTopic, PreparedFile, StaffUser
from feedbackgis.repositories.exports import count_reports, data_state
from feedbackgis.repositories.figure_reports import report_conditions
from feedbackgis.repositories.work_locks import PREPARED_FILE, work_lock
from feedbackgis.services.analytics.access import figures_scope, may_export_contacts_of
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.analytics.file_folder import (
    EXTENSIONS,
    STALE_AFTER,
    remove_temporary,
    stored_path,
    sweep_folder,
    temporary_path,
)
from feedbackgis.services.outbox import record_side_effect

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Maker = Callable[[Session, PreparedFile, Path, Progress], None]

MIME_TYPES = {
    FileKind.CSV: "text/csv",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.GEOJSON: "application/geo+json",
    FileKind.GPKG: "application/geopackage+sqlite3",
    FileKind.HEATMAP: "text/html",
}
ERROR_LENGTH = 300


@dataclass(frozen=True)
class FileParams:
    """What a file was asked with, as stored in its params (already within the scope)."""

    filters: FigureFilters
    options: dict[str, Any]
    language: str
    time_zone: str
    scope_party_id: int | None

    @classmethod
    def of(cls, prepared: PreparedFile) -> FileParams:
        params = prepared.params
        held = params["filters"]
        return cls(
            filters=FigureFilters(
                first_month=date.fromisoformat(held["first_month"]),
                last_month=date.fromisoformat(held["last_month"]),
                category_id=held.get("category_id"), party_id=held.get("party_id"),
                zone_id=held.get("zone_id")),
            options=dict(params.get("options") or {}), language=params["language"],
            time_zone=params["time_zone"], scope_party_id=params.get("scope_party_id"))

    def as_json(self) -> dict[str, Any]:
        filters = self.filters
        return {"filters": {"first_month": filters.first_month.isoformat(),
                            "last_month": filters.last_month.isoformat(),
                            "category_id": filters.category_id, "party_id": filters.party_id,
                            "zone_id": filters.zone_id},
                "options": self.options, "language": self.language,
                "time_zone": self.time_zone, "scope_party_id": self.scope_party_id}

    def conditions(self) -> list[Any]:
        return report_conditions(self.filters.rollup(), self.time_zone)


def request_file(session: Session, user: StaffUser, kind: FileKind, filters: FigureFilters, *,
                 options: dict[str, Any] | None = None, with_contact: bool = False,
                 language: str, time_zone: str) -> PreparedFile:
    """The user's file of `kind` for the filters: the one made before from the same data,
    while it is kept, else a new one that a job prepares. Commits."""
    scope = figures_scope(user)
    if with_contact and not may_export_contacts_of(user):
        raise Forbidden("Your role does not export the reporters' contact details.",
                        field="contact")
    if language not in LANGUAGES:
        raise InvalidInput(f"No texts in language {language!r}.", field="lang")
    params = FileParams(filters.within(scope), _checked_options(kind, options or {}),
                        language, time_zone, scope.party_id)
    key = cache_key(session, kind, params, scope, with_contact)
    found = _reusable(session, user, key)
    if found is not None:
        return found
    prepared = PreparedFile(kind=kind, params=params.as_json(), requested_by=user.id,
                            cache_key=key, with_contact=with_contact, state=FileState.QUEUED)
    session.add(prepared)
    session.flush()
    record_side_effect(session, OutboxTopic.FILE_REQUESTED, file_id=prepared.id)
    session.commit()
    return prepared


def matching_reports(session: Session, user: StaffUser, filters: FigureFilters,
                     time_zone: str) -> int:
    """How many reports the filters export, for the page (one count on the period's index)."""
    scoped = filters.within(figures_scope(user))
    return count_reports(session, report_conditions(scoped.rollup(), time_zone))


def _checked_options(kind: FileKind, options: dict[str, Any]) -> dict[str, Any]:
    """The exports take one option, the coordinates' CRS; a heatmap's are its own."""
    if kind is FileKind.HEATMAP:
        return dict(options)
    unknown = set(options) - {"crs"}
    if unknown:
        raise InvalidInput(f"Unknown option {sorted(unknown)[0]!r}.", field=sorted(unknown)[0])
    crs = options.get("crs", 4326)
    if crs not in (4326, 3067) or isinstance(crs, bool):
        raise InvalidInput("The coordinates are in EPSG:4326 or EPSG:3067.", field="crs")
    return {"crs": crs}


def cache_key(session: Session, kind: FileKind, params: FileParams, scope: StatisticsScope,
              with_contact: bool) -> str:
    state = data_state(session, params.conditions(), with_contact=with_contact)
    held = {"kind": kind.value, "params": params.as_json(), "scope": scope.party_id,
            "with_contact": with_contact, "data": state}
    return hashlib.sha256(json.dumps(held, sort_keys=True).encode()).hexdigest()


def _reusable(session: Session, user: StaffUser, key: str) -> PreparedFile | None:
    """The same ask of the same data: done and kept, or still being made (asked twice)."""
    now = datetime.now(UTC)
    return session.scalars(
        select(PreparedFile)
        .where(PreparedFile.requested_by == user.id, PreparedFile.cache_key == key,
               PreparedFile.state.in_([FileState.QUEUED, FileState.RUNNING, FileState.DONE]),
               or_(PreparedFile.expires_at.is_(None), PreparedFile.expires_at > now))
        .order_by(PreparedFile.id.desc()).limit(1)).first()


def file_of(session: Session, user: StaffUser, file_id: int) -> PreparedFile:
    """The user's own file; NotFound for anyone else's (or none), Forbidden when the user
    may no longer have it (require_still_allowed)."""
    prepared = session.get(PreparedFile, file_id)
    if prepared is None or prepared.requested_by != user.id:
        raise NotFound("No such file.")
    require_still_allowed(user, prepared)
    return prepared


def require_still_allowed(user: StaffUser | None, prepared: PreparedFile) -> None:
    """Forbidden unless the requester still has the rights the file was asked with: their
    scope of figures covers the file's, and for contacts, their role still exports them
    (a user demoted, moved to another unit or deactivated since loses the file)."""
    if user is None:
        raise Forbidden("The file's requester is gone.")
    if not figures_scope(user).covers(prepared.params.get("scope_party_id")):
        raise Forbidden("Your figures no longer cover the reports of this file.")
    if prepared.with_contact and not may_export_contacts_of(user):
        raise Forbidden("Your role no longer exports the reporters' contact details.",
                        field="contact")


def file_name(prepared: PreparedFile) -> str:
    """The name a download gets, e.g. feedbackgis-reports-2026-01_2026-12.xlsx."""
    held = prepared.params.get("filters", {})
    period = f"{held.get('first_month', '')[:7]}_{held.get('last_month', '')[:7]}"
    what = "heatmap" if prepared.kind is FileKind.HEATMAP else "reports"
    return f"feedbackgis-{what}-{period}.{EXTENSIONS[prepared.kind]}"


def maker_of(kind: FileKind) -> Maker:
    # Imported when needed: the makers bring their libraries (openpyxl, pyogrio, folium).
    if kind is FileKind.HEATMAP:
        from feedbackgis.services.analytics.heatmap import write_heatmap_file

        return write_heatmap_file
    from feedbackgis.services.analytics.exports import MAKERS

    return MAKERS[kind]


def make_file(session: Session, file_id: int, folder: Path, keep: timedelta, *,
              maker: Maker | None = None) -> FileState | None:
    """Make the file (the job's work): nothing for a done one or one that is gone, nor for
    one another worker is making now (a job delivered twice at once: the work lock); a
    file left running by a crashed worker starts again. A maker's error, or a requester
    who may no longer have the file, leaves it FAILED."""
    with work_lock(session, PREPARED_FILE, file_id) as mine:
        # Read after the lock: a worker that just finished it has committed its DONE.
        prepared = session.get(PreparedFile, file_id, populate_existing=True)
        if prepared is None or prepared.state is FileState.DONE or not mine:
            return None if prepared is None else prepared.state
        try:
            require_still_allowed(session.get(StaffUser, prepared.requested_by,
                                              populate_existing=True)
                                  if prepared.requested_by is not None else None, prepared)
        except Forbidden as refused:
            log.warning("Prepared file %s refused: its requester lost the right", file_id)
            return _failed(session, file_id, refused, keep)
        return _make_locked(session, prepared, folder, keep, maker)


def _make_locked(session: Session, prepared: PreparedFile, folder: Path, keep: timedelta,
                 maker: Maker | None) -> FileState:
    file_id = prepared.id
    prepared.state, prepared.rows_done, prepared.rows_total = FileState.RUNNING, 0, None
    prepared.error = prepared.path = prepared.byte_size = None
    session.commit()
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{prepared.id}.{EXTENSIONS[prepared.kind]}"
    temporary = temporary_path(folder, relative)

    def progress(rows_done: int, rows_total: int) -> None:
        prepared.rows_done, prepared.rows_total = rows_done, rows_total
        session.commit()

    try:
        (maker or maker_of(prepared.kind))(session, prepared, temporary, progress)
        size = temporary.stat().st_size
        os.replace(temporary, folder / relative)
    except Exception as exc:  # noqa: BLE001 - any maker's failure is the file's, shown
        session.rollback()
        log.warning("Prepared file %s failed: %s", file_id, type(exc).__name__)
        return _failed(session, file_id, exc, keep)
    finally:
        # Also when the work horse is stopped (SystemExit) or interrupted: no half file,
        # with its contacts maybe, is left behind.
        remove_temporary(temporary)
    now = datetime.now(UTC)
    prepared.state, prepared.path, prepared.byte_size = FileState.DONE, relative, size
    if prepared.rows_total is not None:
        prepared.rows_done = prepared.rows_total
    prepared.finished_at, prepared.expires_at = now, now + keep
    session.commit()
    return FileState.DONE


def _failed(session: Session, file_id: int, exc: Exception, keep: timedelta) -> FileState:
    prepared = session.get(PreparedFile, file_id)
    if prepared is None:
        return FileState.FAILED
    now = datetime.now(UTC)
    prepared.state = FileState.FAILED
    prepared.error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
    prepared.finished_at, prepared.expires_at = now, now + keep
    session.commit()
    return FileState.FAILED


def delete_expired_files(session: Session, folder: Path, now: datetime) -> int:
    """Delete the files past their time, and their rows (also those whose job never
    finished in STALE_AFTER); then the folder's files of ours that no row names
    (sweep_folder). Returns how many rows went. Commits."""
    expired = session.scalars(select(PreparedFile).where(or_(
        PreparedFile.expires_at < now,
        PreparedFile.expires_at.is_(None) & (PreparedFile.created_at < now - STALE_AFTER),
    ))).all()
    for prepared in expired:
        path = stored_path(folder, prepared)
        if path is not None:
            path.unlink(missing_ok=True)
    if expired:
        session.execute(delete(PreparedFile).where(
            PreparedFile.id.in_([prepared.id for prepared in expired])))
    session.commit()
    swept = sweep_folder(session, folder, now)
    if swept:
        log.info("Deleted %s left-over files from the export folder", swept)
    return len(expired)

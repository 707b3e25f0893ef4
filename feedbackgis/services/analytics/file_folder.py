"""Where the prepared files are kept: "<id>.<ext>" in the export folder, written first under
a temporary name, and the sweep that deletes what was left behind (a row deleted without
its file, a worker killed while writing)."""
from __future__ import annotations

import os
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.models import FileKind, FileState, PreparedFile

EXTENSIONS = {FileKind.CSV: "csv", FileKind.XLSX: "xlsx", FileKind.GEOJSON: "geojson",
              FileKind.GPKG: "gpkg", FileKind.HEATMAP: "html"}
# A file whose job never finished (lost, or stuck) goes after this long all the same.
STALE_AFTER = timedelta(days=7)
# A file of ours that no row names goes once it was not touched for this long (a file
# renamed into place a moment before its DONE commits is named by no row yet).
ORPHAN_GRACE = timedelta(hours=1)
TEMPORARY_PREFIX = ".tmp-"
SIDE_FILES = ("-journal", "-wal", "-shm")  # SQLite's, next to a GeoPackage being written
_EXTENSION = "|".join(sorted(set(EXTENSIONS.values())))
_MADE_NAME = re.compile(rf"[0-9]+\.(?:{_EXTENSION})")
_TEMPORARY_NAME = re.compile(
    rf"{re.escape(TEMPORARY_PREFIX)}[0-9a-f]{{32}}-(?P<id>[0-9]+)\.(?:{_EXTENSION})"
    rf"(?:{'|'.join(SIDE_FILES)})?")


def stored_path(folder: Path, prepared: PreparedFile) -> Path | None:
    """Where a done file is, inside `folder` (None when it has no file there)."""
    if not prepared.path:
        return None
    path = (folder / prepared.path).resolve()
    return path if path.is_relative_to(folder.resolve()) else None


def temporary_path(folder: Path, relative: str) -> Path:
    """Hidden, unique to this run, and with the format's extension (GDAL checks it)."""
    return folder / f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}-{relative}"


def remove_temporary(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        leftover.unlink(missing_ok=True)


def sweep_folder(session: Session, folder: Path, now: datetime) -> int:
    """Delete the left-over files of ours in `folder`, known by their names (nothing else,
    nothing in a subfolder, no link): a made file that no row names, a temporary one of a
    file not being made (or older than STALE_AFTER, whatever its row says); each only
    once untouched for ORPHAN_GRACE. Returns how many went."""
    if not folder.is_dir():
        return 0
    named = set(session.scalars(select(PreparedFile.path).where(
        PreparedFile.path.is_not(None))))
    running = set(session.scalars(select(PreparedFile.id).where(
        PreparedFile.state == FileState.RUNNING)))
    deleted = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            touched = datetime.fromtimestamp(entry.stat(follow_symlinks=False).st_mtime, UTC)
            if now - touched > ORPHAN_GRACE and _left_over(entry.name, now - touched,
                                                           named, running):
                Path(entry.path).unlink(missing_ok=True)
                deleted += 1
    return deleted


def _left_over(name: str, age: timedelta, named: set[str], running: set[int]) -> bool:
    if _MADE_NAME.fullmatch(name):
        return name not in named
    temporary = _TEMPORARY_NAME.fullmatch(name)
    return temporary is not None and (age > STALE_AFTER or int(temporary["id"]) not in running)

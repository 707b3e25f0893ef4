"""Zone files uploaded on the admin page, kept between the preview and the import.

An upload is kept in a folder of its own under MEDIA_ROOT/zone-uploads/, named by a long
random token: the file under a safe version of its own name (its suffix tells the reader its
format) and upload.json (who uploaded it, when, and the form's options). The page holds the
token in its address and the admin's session; only the admin who uploaded it may use it.
It is deleted after the import, when discarded, and by the sweep once older than an hour.

Why a file and not a second upload: the preview must be of exactly the bytes imported, and a
zone file may be tens of megabytes. Why not the database: the file is read by GDAL, which
needs a path. Several web servers need MEDIA_ROOT shared (as the photos do).
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from werkzeug.utils import secure_filename

from feedbackgis.errors import NotFound, TooLarge

FOLDER = "zone-uploads"
META = "upload.json"
KEEP_SECONDS = 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
NAME_MAX_LENGTH = 100
CHUNK = 1 << 20
# A zip may hold at most this many times the upload limit, unpacked: zone data packs a few
# times smaller, and the reader holds every feature in memory (a zip bomb must not).
UNZIPPED_FACTOR = 5


@dataclass(frozen=True)
class KeptUpload:
    token: str
    folder: Path
    file_name: str
    owner_id: int
    kept_at: float
    form: dict[str, str]  # the upload form's options, as typed

    @property
    def path(self) -> Path:
        return self.folder / self.file_name

    def shown(self, message: str) -> str:
        """A reader's message with the file named as uploaded, not by its folder here."""
        for folder in {str(self.folder.resolve()), str(self.folder)}:
            message = message.replace(f"/vsizip/{folder}/", "").replace(f"{folder}/", "")
        return message


def uploads_root(media_root: str | Path) -> Path:
    return Path(media_root) / FOLDER


def keep_upload(media_root: str | Path, stream: BinaryIO, file_name: str, *, owner_id: int,
                form: Mapping[str, str], max_bytes: int) -> KeptUpload:
    """Copy the uploaded stream into a new folder; TooLarge (nothing kept) over max_bytes."""
    token = secrets.token_urlsafe(32)
    folder = uploads_root(media_root) / token
    folder.mkdir(parents=True)
    kept = KeptUpload(token=token, folder=folder, file_name=_safe_name(file_name),
                      owner_id=owner_id, kept_at=time.time(), form=dict(form))
    try:
        _copy(stream, kept.path, max_bytes)
        _check_unzipped_size(kept.path, max_bytes * UNZIPPED_FACTOR)
        (folder / META).write_text(json.dumps({
            "file_name": kept.file_name, "owner_id": owner_id, "kept_at": kept.kept_at,
            "form": kept.form,
        }))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return kept


def find_upload(media_root: str | Path, token: str, *, owner_id: int) -> KeptUpload:
    """The upload of `token`, if this owner's and not expired; NotFound otherwise."""
    if not TOKEN.fullmatch(token):
        raise NotFound("No such upload.")
    folder = uploads_root(media_root) / token
    try:
        meta = json.loads((folder / META).read_text())
    except (OSError, ValueError):
        raise NotFound("No such upload: it was imported, discarded or has expired.") from None
    kept = KeptUpload(token=token, folder=folder, file_name=meta["file_name"],
                      owner_id=meta["owner_id"], kept_at=meta["kept_at"], form=meta["form"])
    if kept.owner_id != owner_id or time.time() - kept.kept_at > KEEP_SECONDS:
        raise NotFound("No such upload: it was imported, discarded or has expired.")
    return kept


def discard_upload(kept: KeptUpload) -> None:
    shutil.rmtree(kept.folder, ignore_errors=True)


def sweep_uploads(media_root: str | Path, now: float | None = None) -> int:
    """Delete the uploads older than KEEP_SECONDS (left by a preview never imported)."""
    root = uploads_root(media_root)
    if not root.is_dir():
        return 0
    limit = (now if now is not None else time.time()) - KEEP_SECONDS
    swept = 0
    for folder in root.iterdir():
        if folder.is_dir() and TOKEN.fullmatch(folder.name) and _age_mark(folder) < limit:
            shutil.rmtree(folder, ignore_errors=True)
            swept += 1
    return swept


def _age_mark(folder: Path) -> float:
    try:
        return (folder / META).stat().st_mtime
    except OSError:
        return folder.stat().st_mtime  # a copy that never finished


def _safe_name(file_name: str) -> str:
    """The uploaded name, safe as a file name here; its suffix kept for the reader."""
    name = secure_filename(Path(file_name or "").name)[-NAME_MAX_LENGTH:] or "upload"
    return f"zones-{name}" if name == META else name


def _copy(stream: BinaryIO, path: Path, max_bytes: int) -> None:
    copied = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):
            copied += len(chunk)
            if copied > max_bytes:
                raise TooLarge(f"The file is larger than {max_bytes} bytes.", field="file")
            out.write(chunk)


def _check_unzipped_size(path: Path, max_bytes: int) -> None:
    if not zipfile.is_zipfile(path):
        return  # not a zip, or a broken one: the reader says which
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return
    if unpacked > max_bytes:
        raise TooLarge(f"The zip unpacks to more than {max_bytes} bytes.", field="file")

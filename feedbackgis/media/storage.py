"""Where re-encoded photos are kept: by key, behind one small interface.

Keys are ours (random, made by the photo service), never a client's file name. The local
folder is the implementation for one machine; several web servers need shared storage, and
an S3-compatible object store can take its place by implementing the same four methods
(`open` would then stream the object's body).
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

FILE_MODE = 0o644
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:/[a-z0-9][a-z0-9._-]*)*")


class StorageKeyError(ValueError):
    """A key that could name a file outside the storage (or none at all)."""


@dataclass(frozen=True)
class StoredFile:
    stream: BinaryIO  # the caller closes it (Flask's send_file does)
    size: int


class PhotoStorage(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, replacing what was there; all or nothing."""

    def get(self, key: str) -> bytes:
        """The bytes under `key`; FileNotFoundError when there are none."""

    def open(self, key: str) -> StoredFile:
        """A stream of the bytes under `key` (for serving); FileNotFoundError when none."""

    def delete(self, key: str) -> None:
        """Remove `key`; a key that is already gone is no error."""


def check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key) or ".." in key:
        raise StorageKeyError(f"Not a storage key: {key!r}")
    return key


class LocalFolderStorage:
    """Files under one folder, written atomically (a reader never sees half a photo)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                # mkstemp makes 0600; a web server and workers under other users of one
                # group must read what the other wrote.
                os.fchmod(file.fileno(), FILE_MODE)
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def open(self, key: str) -> StoredFile:
        stream = self._path(key).open("rb")
        return StoredFile(stream=stream, size=os.fstat(stream.fileno()).st_size)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage_from_config(config: Mapping[str, Any]) -> PhotoStorage:
    return LocalFolderStorage(config["MEDIA_ROOT"])

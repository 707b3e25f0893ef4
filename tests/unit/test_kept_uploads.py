"""Zone files kept between the preview and the import: a folder per random token, only the
uploader's, gone after an hour (and swept), nothing kept of a file over the limit."""
from __future__ import annotations

import io
import os
import time

import pytest

from feedbackgis.errors import NotFound, TooLarge
from feedbackgis.services.zones import kept_uploads
from feedbackgis.services.zones.kept_uploads import (
    KEEP_SECONDS,
    discard_upload,
    find_upload,
    keep_upload,
    sweep_uploads,
    uploads_root,
)


def _keep(root, content=b"{}", name="alueet.geojson", owner=1):
    return keep_upload(root, io.BytesIO(content), name, owner_id=owner,
                       form={"party": "A", "mode": "add"}, max_bytes=1000)


def test_a_kept_upload_is_found_by_its_uploader_with_its_form(tmp_path):
    kept = _keep(tmp_path)
    found = find_upload(tmp_path, kept.token, owner_id=1)
    assert found.path.read_bytes() == b"{}"
    assert (found.file_name, found.form) == ("alueet.geojson", {"party": "A", "mode": "add"})
    assert len(kept.token) == 43 and kept.folder.parent == uploads_root(tmp_path)


def test_another_user_or_a_made_up_token_finds_nothing(tmp_path):
    kept = _keep(tmp_path)
    with pytest.raises(NotFound):
        find_upload(tmp_path, kept.token, owner_id=2)
    for token in ("../../etc", "x" * 43, ""):
        with pytest.raises(NotFound):
            find_upload(tmp_path, token, owner_id=1)


def test_an_upload_older_than_an_hour_is_gone_and_swept(tmp_path, monkeypatch):
    old, fresh = _keep(tmp_path), _keep(tmp_path)
    stamp = time.time() - KEEP_SECONDS - 5
    os.utime(old.folder / kept_uploads.META, (stamp, stamp))
    monkeypatch.setattr(kept_uploads.time, "time", lambda: fresh.kept_at + KEEP_SECONDS + 1)
    with pytest.raises(NotFound):
        find_upload(tmp_path, fresh.token, owner_id=1)
    monkeypatch.undo()
    assert sweep_uploads(tmp_path) == 1
    assert not old.folder.exists() and fresh.folder.exists()


def test_a_file_over_the_limit_keeps_nothing(tmp_path):
    with pytest.raises(TooLarge):
        _keep(tmp_path, content=b"x" * 1001)
    assert list(uploads_root(tmp_path).iterdir()) == []


def test_the_file_name_is_made_safe_and_keeps_its_suffix(tmp_path):
    assert _keep(tmp_path, name="../../Äänekoski alueet.GPKG").file_name == \
        "Aanekoski_alueet.GPKG"
    assert _keep(tmp_path, name="upload.json").file_name == "zones-upload.json"
    assert _keep(tmp_path, name="").file_name == "upload"


def test_a_message_names_the_file_as_uploaded(tmp_path):
    kept = _keep(tmp_path)
    message = f"/vsizip/{kept.folder.resolve()}/alueet.geojson is not readable; {kept.path}"
    assert kept.shown(message) == "alueet.geojson is not readable; alueet.geojson"


def test_a_discarded_upload_is_gone(tmp_path):
    kept = _keep(tmp_path)
    discard_upload(kept)
    with pytest.raises(NotFound):
        find_upload(tmp_path, kept.token, owner_id=1)


def test_a_zip_that_unpacks_over_the_limit_keeps_nothing(tmp_path):
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zones.geojson", b" " * 6000)  # packs to a few dozen bytes
    with pytest.raises(TooLarge):
        _keep(tmp_path, content=packed.getvalue(), name="zones.zip")
    assert list(uploads_root(tmp_path).iterdir()) == []

"""The local folder storage: files by key, written whole, never outside its folder."""
from __future__ import annotations

import pytest

from feedbackgis.media.storage import LocalFolderStorage, StorageKeyError
from feedbackgis.services.photos.keys import new_image_key, thumbnail_key_for


def test_put_get_open_and_delete_by_key(tmp_path):
    storage = LocalFolderStorage(tmp_path)
    storage.put("photos/ab/abc.jpg", b"first")
    storage.put("photos/ab/abc.jpg", b"second")  # replaces
    assert storage.get("photos/ab/abc.jpg") == b"second"
    stored = storage.open("photos/ab/abc.jpg")
    with stored.stream:
        assert (stored.size, stored.stream.read()) == (6, b"second")
    storage.delete("photos/ab/abc.jpg")
    storage.delete("photos/ab/abc.jpg")  # already gone: no error
    with pytest.raises(FileNotFoundError):
        storage.get("photos/ab/abc.jpg")


def test_a_write_leaves_no_temporary_file_behind(tmp_path):
    storage = LocalFolderStorage(tmp_path)
    storage.put("photos/cd/x.jpg", b"data")
    assert [p.name for p in (tmp_path / "photos" / "cd").iterdir()] == ["x.jpg"]


@pytest.mark.parametrize("key", ["../etc/passwd", "/etc/passwd", "photos/../../x", "",
                                 "photos//x.jpg", "Photos/X.JPG", "photos/x.jpg\x00"])
def test_keys_that_could_leave_the_folder_are_refused(tmp_path, key):
    with pytest.raises(StorageKeyError):
        LocalFolderStorage(tmp_path).put(key, b"x")


def test_image_keys_are_random_and_their_thumbnail_keys_follow_from_them():
    first, second = new_image_key(), new_image_key()
    assert first != second and first.startswith("photos/") and first.endswith(".jpg")
    assert thumbnail_key_for(first) == "thumbnails/" + first.removeprefix("photos/")
    assert thumbnail_key_for(first) == thumbnail_key_for(first)


def test_stored_files_are_readable_by_the_other_processes_of_the_service(tmp_path):
    LocalFolderStorage(tmp_path).put("photos/ef/y.jpg", b"data")
    assert (tmp_path / "photos" / "ef" / "y.jpg").stat().st_mode & 0o777 == 0o644

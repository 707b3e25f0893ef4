"""The work-order page tests: pages read in English (the msgids), a media folder of the
test's own, and two contractors with work orders (work_world.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.staff.signing_in import english_client
from tests.integration.work_orders.work_world import build_work_world


@pytest.fixture
def client(app, connection):
    """A browser that chose English: the assertions read the msgids, not a translation."""
    return english_client(app)


@pytest.fixture
def media_root(app, tmp_path, monkeypatch) -> Path:
    root = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(root))
    return root


@pytest.fixture
def world(session, media_root):
    return build_work_world(session)

"""Fixtures of the photo tests: a media folder of the test's own and a municipality."""
from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import box

from feedbackgis.models import PublishPolicy
from tests.integration.factories import make_category, make_party, make_service_area, make_zone

from .helpers import PARTY_EMAIL


@pytest.fixture
def media_root(app, tmp_path, monkeypatch) -> Path:
    root = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(root))
    return root


@pytest.fixture
def municipality(session):
    """A published-at-once category (streetlight) and a moderated one (graffiti)."""
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(session, "Katuvalaistus Oy", emails=[PARTY_EMAIL])
    make_zone(session, party, box(24.8, 60.1, 25.1, 60.3), name="Keskusta")
    make_category(session, "streetlight", publish_policy=PublishPolicy.IMMEDIATE)
    make_category(session, "graffiti", publish_policy=PublishPolicy.MODERATED)
    session.commit()
    return party

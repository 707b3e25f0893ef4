"""A zoomed-in viewport's newest reports: read from the month the cells say is enough, or
read whole when the cells counted reports outside the bbox; the same answer either way."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedbackgis.domain.map_grid import MAX_GRID_ZOOM, BoundingBox, grid_window
from feedbackgis.domain.public_map import MapFilters
from feedbackgis.repositories import public_map as repository
from feedbackgis.services.public_map import newest_points as service

from ..factories import make_category
from .map_checks import put_report

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)
STREET = BoundingBox(24.9380, 60.1690, 24.9400, 60.1700)


@pytest.fixture
def reads(monkeypatch):
    """The `since` of every read of reports the service makes."""
    seen = []

    def recording(session, bbox, filters, limit):  # noqa: ANN001, ANN202
        seen.append(filters.since)
        return repository.map_points(session, bbox, filters, limit)

    monkeypatch.setattr(service, "map_points", recording)
    return seen


def _monthly(session, category, months, per_month, lon=24.939, lat=60.1695):
    for back in range(months):
        for k in range(per_month):
            put_report(session, category, lon + k / 1e6, lat,
                       created_at=NOW - timedelta(days=30 * back + 1, minutes=k), flush=False)
    session.flush()


def test_a_busy_street_is_read_from_the_month_its_newest_reports_start(session, reads):
    lights = make_category(session, "streetlight")
    _monthly(session, lights, months=12, per_month=4)
    found, truncated = service.newest_points(session, STREET, MapFilters(), 6, NOW)
    assert truncated
    assert found == repository.map_points(session, STREET, MapFilters(), 6)
    assert len(reads) == 1 and reads[0] > NOW - timedelta(days=120)  # not ten years


def test_reports_just_outside_the_bbox_send_the_read_to_the_whole_viewport(session, reads):
    lights = make_category(session, "streetlight")
    cells = grid_window(STREET, MAX_GRID_ZOOM).envelope()
    outside = (cells.east - 1e-6, cells.north - 1e-6)  # in the bbox's cells, not in the bbox
    assert outside[0] > STREET.east or outside[1] > STREET.north
    _monthly(session, lights, months=1, per_month=10, lon=outside[0] - 1e-5, lat=outside[1])
    _monthly(session, lights, months=24, per_month=1)
    found, truncated = service.newest_points(session, STREET, MapFilters(), 6, NOW)
    assert truncated
    assert found == repository.map_points(session, STREET, MapFilters(), 6)
    assert len(reads) == 2 and reads[-1] is None


def test_a_quiet_street_is_read_whole_at_once(session, reads):
    lights = make_category(session, "streetlight")
    _monthly(session, lights, months=3, per_month=1)
    found, truncated = service.newest_points(session, STREET, MapFilters(), 6, NOW)
    assert not truncated and len(found) == 3
    assert reads == [None]

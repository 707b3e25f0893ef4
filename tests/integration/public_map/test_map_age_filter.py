"""The age filter: whole years and months come from map_cell, the rest of the first month
from the reports, and together they count exactly the reports created at or after `since`."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedbackgis.domain.map_grid import BoundingBox, viewport_grid
from feedbackgis.domain.public_map import MapFilters, ReportState
from feedbackgis.repositories.public_map import map_cells

from ..factories import make_category
from .map_checks import direct_report_ids, put_report

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
SINCE = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
# Either side of each edge: since itself, since's month, since's year, now's year.
CREATED = [
    SINCE - timedelta(microseconds=1), SINCE, datetime(2025, 3, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2026, 1, 1, tzinfo=UTC), NOW - timedelta(minutes=1),
    datetime(2024, 12, 31, tzinfo=UTC), datetime(2019, 5, 5, tzinfo=UTC),
]
CITY = BoundingBox(24.8, 60.1, 25.1, 60.3)


@pytest.fixture
def reports(session):
    lights = make_category(session, "streetlight")
    return [put_report(session, lights, 24.90 + k / 100, 60.15 + k / 200, created_at=at)
            for k, at in enumerate(CREATED)]


@pytest.mark.parametrize("zoom", [3, 11, 15])
def test_the_age_filter_counts_exactly_the_reports_created_at_or_after_since(
        connection, session, reports, zoom):
    cells = map_cells(session, viewport_grid(CITY, zoom), MapFilters(since=SINCE), NOW)
    expected = direct_report_ids(connection, "r.created_at >= :since", {"since": SINCE})
    assert sum(c.count for c in cells) == len(expected) == 6


def test_since_in_december_reaches_into_the_next_year(connection, session, reports):
    since = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)
    cells = map_cells(session, viewport_grid(CITY, 12), MapFilters(since=since), NOW)
    assert sum(c.count for c in cells) == 3  # 31 Dec 23:59, 1 Jan, a minute ago


def test_the_age_filter_combines_with_state_and_category(connection, session, reports):
    other = make_category(session, "pothole")
    put_report(session, other, 24.95, 60.2, created_at=NOW - timedelta(days=1))
    fixed = MapFilters(category_ids=(other.id,), state=ReportState.OPEN, since=SINCE)
    cells = map_cells(session, viewport_grid(CITY, 12), fixed, NOW)
    assert [c.count for c in cells] == [1]
    assert map_cells(session, viewport_grid(CITY, 12),
                     MapFilters(category_ids=(other.id,), state=ReportState.FIXED,
                                since=SINCE), NOW) == []

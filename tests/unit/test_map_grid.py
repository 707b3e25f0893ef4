"""The public map's grid: 64-pixel Web Mercator cells that nest, sized to the zoom, and a
viewport never answered with more than MAX_VIEWPORT_CELLS of them."""
from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from pyproj import Transformer

from feedbackgis.domain.map_grid import (
    MAX_GRID_ZOOM,
    MAX_VIEWPORT_CELLS,
    BoundingBox,
    BoundingBoxError,
    cell_x,
    cell_y,
    grid_window,
    shows_points,
    viewport_grid,
)
from feedbackgis.domain.public_map import split_age

HELSINKI = (24.9384, 60.1699)
WORLD_METRES = 2 * 20037508.342789244  # EPSG:3857


@pytest.mark.parametrize(("lon", "lat"), [HELSINKI, (-73.98, 40.75), (151.2, -33.87)])
def test_a_cell_is_64_pixels_of_web_mercator_at_its_zoom(lon, lat):
    """As EPSG:3857 metres from the world's north-west corner, in cells of a 256 * 2**g
    pixel world cut into 64-pixel squares (pyproj's projection, not our arithmetic)."""
    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(lon, lat)
    for grid_zoom in (0, 7, 10, 15):
        cell_metres = WORLD_METRES / (256 << grid_zoom) * 64
        assert cell_x(lon, grid_zoom) == math.floor((x + WORLD_METRES / 2) / cell_metres)
        assert cell_y(lat, grid_zoom) == math.floor((WORLD_METRES / 2 - y) / cell_metres)


@pytest.mark.parametrize(("lon", "lat"), [HELSINKI, (-179.99, 84.9), (0.0, 0.0),
                                          (151.2, -33.87)])
def test_each_cell_holds_the_four_cells_of_the_next_grid_zoom(lon, lat):
    for grid_zoom in range(MAX_GRID_ZOOM):
        assert cell_x(lon, grid_zoom + 1) >> 1 == cell_x(lon, grid_zoom)
        assert cell_y(lat, grid_zoom + 1) >> 1 == cell_y(lat, grid_zoom)


def test_cells_are_square_on_the_map_not_in_degrees():
    """At 60 N a degree of latitude spans about twice the cells of a degree of longitude."""
    window = grid_window(BoundingBox(24.0, 60.0, 25.0, 61.0), 12)
    rows, columns = window.y_max - window.y_min + 1, window.x_max - window.x_min + 1
    assert 1.9 < rows / columns < 2.1


def test_the_poles_and_the_antimeridian_stay_inside_the_grid():
    assert cell_y(90.0, 3) == 0 and cell_y(-90.0, 3) == (4 << 3) - 1
    assert cell_x(180.0, 3) == (4 << 3) - 1 and cell_x(-180.0, 3) == 0


def test_a_city_viewport_at_its_zoom_uses_that_zoom_s_grid():
    city = BoundingBox(24.78, 60.13, 25.25, 60.30)  # about 1,350 x 800 pixels at zoom 11
    assert viewport_grid(city, 11).grid_zoom == 11


def test_a_huge_bbox_at_a_high_zoom_gets_a_coarser_grid_of_at_most_the_cell_limit():
    window = viewport_grid(BoundingBox(19.0, 59.0, 32.0, 70.0), 18)
    assert window.grid_zoom < 10
    assert window.cell_count <= MAX_VIEWPORT_CELLS


def test_reports_are_shown_one_by_one_from_zoom_16_on_a_screen_sized_viewport():
    phone_street = BoundingBox(24.9372, 60.1685, 24.9396, 60.1714)  # 390 x 844 px at zoom 17
    assert shows_points(phone_street, 17)
    assert not shows_points(phone_street, 15)
    assert not shows_points(BoundingBox(24.5, 60.0, 25.5, 60.5), 18)  # a city at zoom 18


def test_the_cells_envelope_contains_the_bbox():
    bbox = BoundingBox(*HELSINKI, HELSINKI[0] + 0.01, HELSINKI[1] + 0.01)
    envelope = grid_window(bbox, 14).envelope()
    assert envelope.west <= bbox.west and envelope.east >= bbox.east
    assert envelope.south <= bbox.south and envelope.north >= bbox.north


@pytest.mark.parametrize("corners", [(25.0, 60.0, 24.0, 61.0), (24.0, 61.0, 25.0, 60.0),
                                     (24.0, 60.0, 181.0, 61.0), (24.0, -91.0, 25.0, 61.0),
                                     (float("inf"), 60.0, 25.0, 61.0)])
def test_a_bbox_must_be_ordered_and_in_range(corners):
    with pytest.raises(BoundingBoxError):
        BoundingBox(*corners)


def test_the_age_filter_splits_into_whole_years_whole_months_and_the_first_month():
    since = datetime(2024, 10, 20, 6, 30, tzinfo=UTC)
    split = split_age(since, now=datetime(2026, 2, 1, tzinfo=UTC))
    assert split.years == (2025, 2026, 2027)
    assert (split.year_of_months, split.months) == (2024, (11, 12))
    assert (split.reports_from, split.reports_until) == (since, datetime(2024, 11, 1, tzinfo=UTC))


def test_the_first_month_of_a_december_ends_at_new_year():
    split = split_age(datetime(2025, 12, 5, tzinfo=UTC), now=datetime(2025, 12, 12, tzinfo=UTC))
    assert split.months == () and split.reports_until == datetime(2026, 1, 1, tzinfo=UTC)

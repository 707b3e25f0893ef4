"""The public map's clustering grid: square cells on the Web Mercator map, sized to the zoom.

A web map at zoom z is a square of 256 * 2**z pixels (EPSG:3857, the tiles' projection). A
grid cell at grid zoom g is 64 pixels square at zoom g: the map is cut into 4 << g cells
across and down, numbered like XYZ tiles (x eastwards, y southwards from 85.05 N). Because
the cells are square in Mercator, not in degrees, they look square on the map at any
latitude, and a cell of grid zoom g holds exactly the four cells of g + 1 under it.

The database computes the same numbers (map_cell_x and map_cell_y in migration 0006) and
keeps counts per cell for grid zooms 0..MAX_GRID_ZOOM; this module only chooses which cells
a viewport needs. Everything here is lon, lat in degrees (WGS 84).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

CELL_PIXELS = 64
CELLS_PER_TILE = 256 // CELL_PIXELS  # along one side of a 256-pixel tile
MAX_ZOOM = 20
# Counts are kept for these grid zooms; from POINTS_FROM_ZOOM on the map shows the reports.
MAX_GRID_ZOOM = 15
POINTS_FROM_ZOOM = MAX_GRID_ZOOM + 1
# A viewport is answered with at most this many cells (a 2560 x 1440 screen spans ~1,000 at
# 64 pixels each): a larger screen, or a huge bbox at a high zoom, gets a coarser grid, so
# no answer grows past ~50 KB.
MAX_VIEWPORT_CELLS = 1024
MERCATOR_MAX_LAT = 85.0511287798066  # where the square Web Mercator world ends


class BoundingBoxError(ValueError):
    """A bounding box that is not west <= east and south <= north in degrees."""


@dataclass(frozen=True)
class BoundingBox:
    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        if not all(math.isfinite(v) for v in (self.west, self.south, self.east, self.north)):
            raise BoundingBoxError("Coordinates must be finite numbers.")
        if not (-180.0 <= self.west <= 180.0 and -180.0 <= self.east <= 180.0):
            raise BoundingBoxError("Longitudes must be between -180 and 180.")
        if not (-90.0 <= self.south <= 90.0 and -90.0 <= self.north <= 90.0):
            raise BoundingBoxError("Latitudes must be between -90 and 90.")
        # A box across the antimeridian would need two queries; no municipality needs one.
        if self.west > self.east:
            raise BoundingBoxError("minlon must not be greater than maxlon.")
        if self.south > self.north:
            raise BoundingBoxError("minlat must not be greater than maxlat.")


def cells_across(grid_zoom: int) -> int:
    return CELLS_PER_TILE << grid_zoom


def cell_x(lon: float, grid_zoom: int) -> int:
    """The column of `lon` (the same arithmetic as the database's map_cell_x)."""
    n = cells_across(grid_zoom)
    return max(0, min(math.floor((lon + 180.0) / 360.0 * n), n - 1))


def cell_y(lat: float, grid_zoom: int) -> int:
    """The row of `lat`, counted southwards (the same arithmetic as map_cell_y)."""
    n = cells_across(grid_zoom)
    clamped = max(-MERCATOR_MAX_LAT, min(MERCATOR_MAX_LAT, lat))
    fraction = 0.5 - math.log(math.tan(math.pi / 4 + math.radians(clamped) / 2)) / (2 * math.pi)
    return max(0, min(math.floor(fraction * n), n - 1))


def cell_west(x: int, grid_zoom: int) -> float:
    return x / cells_across(grid_zoom) * 360.0 - 180.0


def cell_north(y: int, grid_zoom: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / cells_across(grid_zoom)))))


@dataclass(frozen=True)
class GridWindow:
    """The cells of one grid zoom that a bounding box touches."""

    grid_zoom: int
    x_min: int
    x_max: int
    y_min: int  # the northernmost row
    y_max: int

    @property
    def columns(self) -> list[int]:
        return list(range(self.x_min, self.x_max + 1))

    @property
    def cell_count(self) -> int:
        return (self.x_max - self.x_min + 1) * (self.y_max - self.y_min + 1)

    def envelope(self) -> BoundingBox:
        """The cells' outline in degrees, widened by a hair so that a point on its edge,
        which the database puts in one of these cells, is inside it too."""
        hair = 1e-9
        return BoundingBox(
            west=max(-180.0, cell_west(self.x_min, self.grid_zoom) - hair),
            south=max(-90.0, cell_north(self.y_max + 1, self.grid_zoom) - hair),
            east=min(180.0, cell_west(self.x_max + 1, self.grid_zoom) + hair),
            north=min(90.0, cell_north(self.y_min, self.grid_zoom) + hair),
        )


def grid_window(bbox: BoundingBox, grid_zoom: int) -> GridWindow:
    return GridWindow(
        grid_zoom=grid_zoom,
        x_min=cell_x(bbox.west, grid_zoom), x_max=cell_x(bbox.east, grid_zoom),
        y_min=cell_y(bbox.north, grid_zoom), y_max=cell_y(bbox.south, grid_zoom),
    )


def shows_points(bbox: BoundingBox, zoom: int) -> bool:
    """Zoomed in far enough to show reports one by one, on a viewport of a real screen's
    size (a city-wide bbox sent with zoom 18 is clustered instead, see viewport_grid)."""
    return zoom >= POINTS_FROM_ZOOM and grid_window(bbox, zoom).cell_count <= MAX_VIEWPORT_CELLS


def viewport_grid(bbox: BoundingBox, zoom: int) -> GridWindow:
    """The finest stored grid, at most `zoom`, that covers the bbox in at most
    MAX_VIEWPORT_CELLS cells."""
    grid_zoom = min(zoom, MAX_GRID_ZOOM)
    window = grid_window(bbox, grid_zoom)
    while window.cell_count > MAX_VIEWPORT_CELLS and grid_zoom > 0:
        grid_zoom -= 1
        window = grid_window(bbox, grid_zoom)
    return window

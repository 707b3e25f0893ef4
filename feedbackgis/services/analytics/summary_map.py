"""The monthly summary's static map: a PNG drawn here with Pillow, no tiles, no network.

The service area, the zones (of the party, or every party's) and the month's reports,
projected to the municipality's metric CRS (METRIC_SRID, EPSG:3067 in Finland) and fitted
to the image, with a scale bar. Up to DOT_LIMIT reports are dots; more are counted in
squares shaded by how many fell in each (the legend's classes go with the image). The
image carries no words, so one image serves every language: the email explains it in text
beside the image and in its alt text.
"""
from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from PIL import Image, ImageDraw, ImageFont
from pyproj import CRS
from sqlalchemy.orm import Session

from feedbackgis.domain.months import month_bounds
from feedbackgis.geo.crs import WGS84, crs_from_user_input, reproject, transformer
from feedbackgis.repositories.figures import RollupFilter
from feedbackgis.repositories.summary_map import (
    report_points,
    service_area_outlines,
    zone_outlines,
)

WIDTH, HEIGHT = 600, 400
_SUPERSAMPLE = 2  # drawn twice as large, then each 2x2 block averaged: smooth edges
MARGIN = 16
DOT_LIMIT = 400
DOT_RADIUS = 4
CELL_PIXELS = 20
MIN_EXTENT_M = 1000.0  # one report alone is shown with a kilometre around it

BACKGROUND = (255, 255, 255)
AREA_FILL, AREA_LINE = (241, 243, 245), (51, 51, 51)
ZONE_LINE = (11, 79, 156)
DOT_COLOUR = (200, 36, 24)
DOT_EDGE = (255, 255, 255)
# Light to dark (ColorBrewer OrRd): fewer to more reports in a square.
DENSITY_COLOURS = ((253, 204, 138), (252, 141, 89), (215, 48, 31), (127, 0, 0))


@dataclass(frozen=True)
class DensityClass:
    colour: str  # "#rrggbb"
    low: int
    high: int


@dataclass(frozen=True)
class SummaryMap:
    png: bytes
    width: int
    height: int
    reports_shown: int  # reports with a location
    scale_m: int  # the length of the scale bar
    cell_m: int | None = None  # the side of a density square; None: dots
    classes: tuple[DensityClass, ...] = ()


def summary_map(session: Session, *, month: date, party_id: int | None, time_zone: str,
                metric_srid: int) -> SummaryMap | None:
    """The map of the month's reports (of one party, or all); None with nothing to draw."""
    begins, ends = month_bounds(month, time_zone)
    areas = service_area_outlines(session)
    zones = zone_outlines(session, party_id, begins, ends)
    points = report_points(session, RollupFilter(month, month, party_id=party_id), time_zone)
    # A party's map frames its own zones; the municipality's frames the service area.
    frame = zones if party_id is not None and zones else (areas or zones)
    return draw_summary_map(areas, zones, points, frame, crs_from_user_input(metric_srid))


def draw_summary_map(areas: Sequence[shapely.Geometry], zones: Sequence[shapely.Geometry],
                     points: Sequence[tuple[float, float]], frame: Sequence[shapely.Geometry],
                     metric: CRS) -> SummaryMap | None:
    """The PNG of outlines and points given in lon, lat (EPSG:4326)."""
    wgs84 = crs_from_user_input(WGS84)
    areas_m = [reproject(shape, wgs84, metric) for shape in areas]
    zones_m = [reproject(shape, wgs84, metric) for shape in zones]
    frame_m = [reproject(shape, wgs84, metric) for shape in frame]
    xy = np.empty((0, 2))
    if points:
        lon_lat = np.asarray(points, dtype=float)
        xy = np.column_stack(transformer(wgs84, metric).transform(lon_lat[:, 0], lon_lat[:, 1]))
    if not frame_m and not len(xy):
        return None
    fit = _Fit.around(frame_m, xy)
    image = Image.new("RGB", (WIDTH * _SUPERSAMPLE, HEIGHT * _SUPERSAMPLE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for shape in areas_m:
        _fill(draw, fit, shape, AREA_FILL)
    cell_m, classes = None, ()
    if len(xy) > DOT_LIMIT:  # squares under the outlines, dots above them
        cell_m, classes = _density(draw, fit, xy)
    for shape in areas_m:
        _outline(draw, fit, shape, AREA_LINE)
    for shape in zones_m:
        _outline(draw, fit, shape, ZONE_LINE)
    if cell_m is None:
        _dots(draw, fit, xy)
    scale_m = _scale_bar(draw, fit)
    small = image.reduce(_SUPERSAMPLE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return SummaryMap(out.getvalue(), WIDTH, HEIGHT, len(xy), scale_m, cell_m, classes)


@dataclass(frozen=True)
class _Fit:
    """Metres to pixels of the supersampled image (y down)."""

    scale: float  # pixels per metre
    x0: float
    y0: float

    @classmethod
    def around(cls, shapes: Sequence[shapely.Geometry], xy: np.ndarray) -> _Fit:
        bounds = [shape.bounds for shape in shapes if not shape.is_empty]
        if len(xy):
            bounds.append((*xy.min(axis=0), *xy.max(axis=0)))
        minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
        maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
        dx, dy = max(maxx - minx, MIN_EXTENT_M), max(maxy - miny, MIN_EXTENT_M)
        inner_w = (WIDTH - 2 * MARGIN) * _SUPERSAMPLE
        inner_h = (HEIGHT - 2 * MARGIN) * _SUPERSAMPLE
        scale = min(inner_w / dx, inner_h / dy)
        centre_x, centre_y = (minx + maxx) / 2, (miny + maxy) / 2
        return cls(scale, centre_x - WIDTH * _SUPERSAMPLE / 2 / scale,
                   centre_y + HEIGHT * _SUPERSAMPLE / 2 / scale)

    def pixels(self, coords: np.ndarray) -> list[tuple[float, float]]:
        px = (coords[:, 0] - self.x0) * self.scale
        py = (self.y0 - coords[:, 1]) * self.scale
        return list(zip(px.tolist(), py.tolist(), strict=True))


def _parts(shape: shapely.Geometry) -> list[shapely.Polygon]:
    return [part for part in getattr(shape, "geoms", [shape])
            if isinstance(part, shapely.Polygon) and not part.is_empty]


def _fill(draw: ImageDraw.ImageDraw, fit: _Fit, shape: shapely.Geometry,
          colour: tuple[int, int, int]) -> None:
    for polygon in _parts(shape):
        draw.polygon(fit.pixels(np.asarray(polygon.exterior.coords)), fill=colour)
        for hole in polygon.interiors:
            draw.polygon(fit.pixels(np.asarray(hole.coords)), fill=BACKGROUND)


def _outline(draw: ImageDraw.ImageDraw, fit: _Fit, shape: shapely.Geometry,
             colour: tuple[int, int, int]) -> None:
    for polygon in _parts(shape):
        for ring in (polygon.exterior, *polygon.interiors):
            draw.line(fit.pixels(np.asarray(ring.coords)), fill=colour,
                      width=2 * _SUPERSAMPLE, joint="curve")


def _dots(draw: ImageDraw.ImageDraw, fit: _Fit, xy: np.ndarray) -> None:
    radius = DOT_RADIUS * _SUPERSAMPLE
    for x, y in fit.pixels(xy) if len(xy) else []:
        draw.ellipse((x - radius - 2, y - radius - 2, x + radius + 2, y + radius + 2),
                     fill=DOT_EDGE)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=DOT_COLOUR)


def _density(draw: ImageDraw.ImageDraw, fit: _Fit,
             xy: np.ndarray) -> tuple[int, tuple[DensityClass, ...]]:
    """Squares of CELL_PIXELS on the image, shaded by the reports in each (four classes
    up to the fullest square); returns the side in metres and the classes."""
    side = CELL_PIXELS * _SUPERSAMPLE
    cells = Counter((int(x // side), int(y // side)) for x, y in fit.pixels(xy))
    classes = density_classes(max(cells.values()))
    for (column, row), count in cells.items():
        shade = next(i for i, each in enumerate(classes) if count <= each.high)
        draw.rectangle((column * side, row * side, (column + 1) * side - 1,
                        (row + 1) * side - 1), fill=DENSITY_COLOURS[shade],
                       outline=BACKGROUND)
    return round(side / fit.scale), classes


def density_classes(most: int) -> tuple[DensityClass, ...]:
    """Up to four classes splitting 1..most evenly (fewer when most is small)."""
    highs = sorted({max(1, math.ceil(most * part / 4)) for part in (1, 2, 3, 4)})
    classes, low = [], 1
    for index, high in enumerate(highs):
        colour = DENSITY_COLOURS[index + len(DENSITY_COLOURS) - len(highs)]
        classes.append(DensityClass("#{:02x}{:02x}{:02x}".format(*colour), low, high))
        low = high + 1
    return tuple(classes)


def _nice_length(metres: float) -> int:
    """The largest 1, 2 or 5 times a power of ten not above `metres` (at least 1)."""
    power = 10 ** math.floor(math.log10(max(metres, 1)))
    return int(max(step * power for step in (1, 2, 5) if step * power <= max(metres, 1)))


def _scale_bar(draw: ImageDraw.ImageDraw, fit: _Fit) -> int:
    """A scale bar at the lower left, about a quarter of the width; returns its metres."""
    metres = _nice_length(WIDTH * _SUPERSAMPLE / 4 / fit.scale)
    length = metres * fit.scale
    s = _SUPERSAMPLE
    x, y = MARGIN * s, (HEIGHT - MARGIN) * s
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    font = ImageFont.load_default(size=12 * s)
    text_box = draw.textbbox((x, y - 18 * s), label, font=font)
    draw.rectangle((x - 4 * s, text_box[1] - 3 * s, x + length + 4 * s, y + 4 * s),
                   fill=BACKGROUND)
    draw.line((x, y, x + length, y), fill=AREA_LINE, width=2 * s)
    for end in (x, x + length):
        draw.line((end, y - 5 * s, end, y), fill=AREA_LINE, width=2 * s)
    draw.text((x, y - 18 * s), label, font=font, fill=AREA_LINE)
    return metres

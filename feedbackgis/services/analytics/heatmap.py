"""Heatmaps of report density: a folium document (Leaflet and its heat plugin).

The reports of the figures' filters, as the user's scope allows, are counted on a grid in
the metric CRS (repositories/heatmap.py) and drawn with the counts as the heat's weights,
so a cell where twenty reports fell is twenty times as hot as a cell of one, and the page
carries one point per cell, not one per report. The map is fitted to the cells, else to
the service area, else to the configured default view.

folium's own defaults name CDN addresses; the app replaces them once at start-up with the
service's own (web/figures/folium_assets.py). This module refuses to render while any is
still absolute, so a document can never make the browser call another host for code.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
from flask import current_app
from folium.plugins import HeatMap
from markupsafe import escape
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.i18n import N_, catalog
from feedbackgis.models.prepared_file import PreparedFile
from feedbackgis.repositories.heatmap import (
    Extent,
    HeatCell,
    count_reports_on_map,
    heat_cells,
    metric_extent,
    service_area_extent,
)
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.analytics.prepared_files import FileParams, Progress

# The grid: about CELLS_ACROSS cells over the longer side of the reports' extent, but never
# finer than MIN_CELL_M (a street corner) nor coarser than MAX_CELL_M (a block).
MIN_CELL_M, MAX_CELL_M, CELLS_ACROSS = 20, 100, 500
FIT_MAX_ZOOM = 16  # one cell alone is shown with its streets around it
HEAT_OPTIONS = {"radius": 18, "blur": 14, "min_opacity": 0.35, "max_zoom": 16}
DOCUMENT_TITLE = N_("Heatmap of reports")
_VIEWPORT_LOCK = re.compile(r",\s*maximum-scale=1\.0,\s*user-scalable=no")


@dataclass(frozen=True)
class HeatmapSettings:
    tile_url: str
    tile_attribution: str
    metric_srid: int
    default_lon: float
    default_lat: float
    default_zoom: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> HeatmapSettings:
        return cls(tile_url=config["MAP_TILE_URL"],
                   tile_attribution=config["MAP_TILE_ATTRIBUTION"],
                   metric_srid=int(config["METRIC_SRID"]),
                   default_lon=float(config["MAP_DEFAULT_LON"]),
                   default_lat=float(config["MAP_DEFAULT_LAT"]),
                   default_zoom=int(config["MAP_DEFAULT_ZOOM"]))


def cell_size_m(extent: Extent | None) -> int:
    """The grid's cell in metres for reports spread over `extent` (metric CRS)."""
    if extent is None:
        return MIN_CELL_M
    longer = max(extent.max_x - extent.min_x, extent.max_y - extent.min_y)
    size = math.ceil(longer / CELLS_ACROSS / 10) * 10
    return max(MIN_CELL_M, min(MAX_CELL_M, size))


def count_matching(session: Session, filters: FigureFilters, scope: StatisticsScope,
                   time_zone: str) -> int:
    """How many reports the heatmap of these filters draws (those with a location)."""
    return count_reports_on_map(session, filters.within(scope).rollup(), time_zone)


def heatmap_html(session: Session, filters: FigureFilters, scope: StatisticsScope,
                 time_zone: str, *, settings: HeatmapSettings, language: str,
                 progress: Progress | None = None) -> str:
    """The folium document of the heatmap, as HTML."""
    _require_local_assets()
    rollup = filters.within(scope).rollup()
    total = count_reports_on_map(session, rollup, time_zone)
    extent = metric_extent(session, rollup, time_zone, settings.metric_srid)
    cells = heat_cells(session, rollup, time_zone, metric_srid=settings.metric_srid,
                       cell_size_m=cell_size_m(extent))
    data = list(_heat_points(cells, total, progress))
    fmap = _base_map(session, settings, data)
    HeatMap(data, **HEAT_OPTIONS).add_to(fmap)
    return _document(fmap, language)


def _heat_points(cells: Iterable[HeatCell], total: int,
                 progress: Progress | None) -> Iterator[list[float]]:
    done = 0
    if progress is not None:
        progress(0, total)
    for index, cell in enumerate(cells, start=1):
        done += cell.reports
        yield [round(cell.lat, 6), round(cell.lon, 6), cell.reports]
        if progress is not None and index % 1000 == 0:
            progress(done, total)
    if progress is not None:
        progress(done, total)


def _base_map(session: Session, settings: HeatmapSettings, data: list[list[float]]) -> folium.Map:
    fmap = folium.Map(location=[settings.default_lat, settings.default_lon],
                      zoom_start=settings.default_zoom, tiles=None, control_scale=True)
    folium.TileLayer(tiles=settings.tile_url, attr=settings.tile_attribution,
                     max_zoom=19).add_to(fmap)
    if data:
        lats = [point[0] for point in data]
        lons = [point[1] for point in data]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]],
                        max_zoom=FIT_MAX_ZOOM)
    elif (area := service_area_extent(session)) is not None:
        fmap.fit_bounds([[area.min_y, area.min_x], [area.max_y, area.max_x]])
    return fmap


def _document(fmap: folium.Map, language: str) -> str:
    figure = fmap.get_root()
    figure.title = str(escape(catalog(language).gettext(DOCUMENT_TITLE)))
    html = figure.render()
    # The page's language for screen readers; and zooming the page stays allowed (folium
    # locks it, which WCAG 1.4.4 does not allow when the map is opened on its own).
    html = html.replace("<html>", f'<html lang="{language}">', 1)
    return _VIEWPORT_LOCK.sub("", html, count=1)


def _require_local_assets() -> None:
    for element in (folium.Map, HeatMap):
        for _name, url in [*element.default_js, *element.default_css]:
            if "//" in url:
                raise RuntimeError(
                    f"folium's {element.__name__} still loads {url}: the app installs the "
                    "service's own copies at start-up (web/figures/folium_assets.py).")


def write_heatmap_file(session: Session, prepared: PreparedFile, path: Path,
                       progress: Progress) -> None:
    """Write the heatmap document asked for by `prepared` to `path` (a PreparedFile's
    maker): its filters, already within the requester's scope, in its language."""
    params = FileParams.of(prepared)
    html = heatmap_html(session, params.filters, StatisticsScope(params.scope_party_id),
                        params.time_zone, settings=HeatmapSettings.from_config(current_app.config),
                        language=params.language, progress=progress)
    Path(path).write_text(html, encoding="utf-8")

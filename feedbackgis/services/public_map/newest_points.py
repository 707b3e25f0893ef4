"""The newest reports of a zoomed-in viewport, found without reading all of a busy one.

A street in a city centre may hold 50,000 reports of ten years; the map shows the newest
few hundred. The cells' monthly counts (finest grid) say from which month on the viewport
holds enough of them, so only the reports since then are read. The cells cover the bbox
and a little more, so the count can be high: when the reports since that month fall short,
the viewport is read whole, and the answer is exact either way.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from feedbackgis.domain.map_grid import MAX_GRID_ZOOM, BoundingBox, grid_window
from feedbackgis.domain.public_map import MapFilters
from feedbackgis.repositories.public_map import (
    MapPoint,
    map_points,
    report_counts_per_month,
    report_counts_per_year,
)

YEARS_LOOKED_BACK = 30  # a viewport that needs more to fill its answer is read whole
# Counted reports needed per report wanted: room for the cells' part outside the bbox.
MARGIN = 1.25


def newest_points(session: Session, bbox: BoundingBox, filters: MapFilters, limit: int,
                  now: datetime) -> tuple[list[MapPoint], bool]:
    """The newest `limit` reports in the bbox, and whether more matched."""
    start = _busy_since(session, bbox, filters, round((limit + 1) * MARGIN), now)
    if start is not None and (filters.since is None or start > filters.since):
        found = map_points(session, bbox, replace(filters, since=start), limit + 1)
        if len(found) > limit:
            return found[:limit], True
    found = map_points(session, bbox, filters, limit + 1)
    return found[:limit], len(found) > limit


def _busy_since(session: Session, bbox: BoundingBox, filters: MapFilters, needed: int,
                now: datetime) -> datetime | None:
    """The start of the latest month since which the bbox's cells count `needed` reports,
    or None when they hold fewer."""
    window = grid_window(bbox, MAX_GRID_ZOOM)
    this_year = now.astimezone(UTC).year
    years = list(range(this_year + 1, this_year - YEARS_LOOKED_BACK, -1))
    per_year = report_counts_per_year(session, window, filters, years)
    counted = 0
    for year in years:
        if counted + per_year.get(year, 0) >= needed:
            per_month = report_counts_per_month(session, window, filters, year)
            for month in range(12, 0, -1):
                counted += per_month.get(month, 0)
                if counted >= needed:
                    return datetime(year, month, 1, tzinfo=UTC)
        counted += per_year.get(year, 0)
    return None

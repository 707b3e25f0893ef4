"""What the public map shows of a viewport: clusters, or the reports themselves."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from feedbackgis.domain.map_grid import BoundingBox, shows_points, viewport_grid
from feedbackgis.domain.public_map import ReportState
from feedbackgis.repositories.public_map import CellCount, MapPoint, map_cells, map_points
from feedbackgis.services.public_map.filters import map_filters
from feedbackgis.services.public_map.newest_points import newest_points

# A viewport holding this few reports shows them one by one at any zoom.
FEW_REPORTS = 50
# At most this many reports one by one (newest first): ~130 bytes each in JSON, so an answer
# stays under 100 KB. A street holding more says `truncated`.
MAX_POINTS = 700


@dataclass(frozen=True)
class MapQuery:
    bbox: BoundingBox
    zoom: int
    categories: tuple[str, ...] = ()  # codes; empty: every category
    state: ReportState = ReportState.ALL
    days: int | None = None  # created in the last `days` days; None: of any age


@dataclass(frozen=True)
class ClusteredMap:
    zoom: int
    grid_zoom: int  # the grid the cells belong to (coarser than zoom for a huge viewport)
    cells: list[CellCount]
    total: int
    clustered: bool = field(default=True, init=False)


@dataclass(frozen=True)
class PointMap:
    zoom: int
    reports: list[MapPoint]
    truncated: bool
    clustered: bool = field(default=False, init=False)


def public_map_view(session: Session, query: MapQuery, now: datetime) -> ClusteredMap | PointMap:
    filters = map_filters(session, query.categories, query.state, query.days, now)
    if shows_points(query.bbox, query.zoom):
        reports, truncated = newest_points(session, query.bbox, filters, MAX_POINTS, now)
        return PointMap(zoom=query.zoom, reports=reports, truncated=truncated)
    window = viewport_grid(query.bbox, query.zoom)
    cells = map_cells(session, window, filters, now)
    total = sum(c.count for c in cells)
    if total <= FEW_REPORTS:
        # The cells cover the bbox and a little more, so these are all of the bbox's.
        return PointMap(zoom=query.zoom, truncated=False,
                        reports=map_points(session, query.bbox, filters, FEW_REPORTS))
    return ClusteredMap(zoom=query.zoom, grid_zoom=window.grid_zoom, cells=cells, total=total)

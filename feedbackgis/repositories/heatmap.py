"""The heatmap's SQL: the reports of the figures' filters counted on a square grid.

The grid is in the metric CRS (EPSG:3067 by default), so a cell is the same number of
metres wide anywhere in the municipality. ST_SnapToGrid rounds each point to the nearest
grid node, so the node is the centre of the cell of the points that snap to it; the
centres go back to EPSG:4326 for the map. Reports without a location are not on a map and
are not counted here.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select, text
from sqlalchemy.orm import Session

from feedbackgis.models import Report, ServiceArea
from feedbackgis.repositories.figure_reports import report_conditions
from feedbackgis.repositories.figures import RollupFilter


@dataclass(frozen=True)
class Extent:
    """A bounding box: in metres (the metric CRS) or in degrees (lon, lat)."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float


@dataclass(frozen=True, slots=True)
class HeatCell:
    lon: float
    lat: float
    reports: int


def _matching(rollup: RollupFilter, time_zone: str) -> ColumnElement[bool]:
    return and_(Report.location.is_not(None), *report_conditions(rollup, time_zone))


def count_reports_on_map(session: Session, rollup: RollupFilter, time_zone: str) -> int:
    """The reports of the filters that have a location."""
    query = select(func.count()).select_from(Report).where(_matching(rollup, time_zone))
    return int(session.scalar(query) or 0)


def metric_extent(session: Session, rollup: RollupFilter, time_zone: str,
                  metric_srid: int) -> Extent | None:
    """The matching reports' bounding box in the metric CRS (the box of their lon/lat box,
    transformed once rather than every point); None when there are none."""
    degrees = func.ST_SetSRID(func.geometry(func.ST_Extent(Report.location)), 4326)
    box = func.ST_Transform(degrees, metric_srid)
    row = session.execute(
        select(func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box))
        .where(_matching(rollup, time_zone))).one()
    return None if row[0] is None else Extent(*(float(value) for value in row))


def heat_cells(session: Session, rollup: RollupFilter, time_zone: str, *, metric_srid: int,
               cell_size_m: float) -> list[HeatCell]:
    """The matching reports counted per grid cell of `cell_size_m` metres, as the cells'
    centres in lon/lat, the busiest first. Read whole: a grid has at most about 500 x 500
    cells (services/analytics/heatmap.cell_size_m), and the caller may commit (its
    progress) while it goes through them, which would close a server-side cursor."""
    # Cells as two integers (grouping by them is several times faster than by a snapped
    # geometry); each cell drawn at its centre.
    metric = func.ST_Transform(Report.location, metric_srid)
    column = func.floor(func.ST_X(metric) / cell_size_m).label("column")
    row = func.floor(func.ST_Y(metric) / cell_size_m).label("row")
    cells = (select(column, row, func.count().label("reports"))
             .where(_matching(rollup, time_zone)).group_by(column, row).subquery())
    centre = func.ST_Transform(func.ST_SetSRID(func.ST_MakePoint(
        (cells.c.column + 0.5) * cell_size_m, (cells.c.row + 0.5) * cell_size_m), metric_srid),
        4326)
    query = (select(func.ST_X(centre), func.ST_Y(centre), cells.c.reports)
             .order_by(cells.c.reports.desc(), cells.c.column, cells.c.row))
    # A city's million reports: counted in memory rather than sorted on disk, and no JIT
    # compilation (it costs more than it saves on this one pass).
    session.execute(text("SET LOCAL work_mem = '64MB'"))
    session.execute(text("SET LOCAL jit = off"))
    return [HeatCell(lon=float(lon), lat=float(lat), reports=int(reports))
            for lon, lat, reports in session.execute(query).all()]


def service_area_extent(session: Session) -> Extent | None:
    """The service area's bounding box in degrees (lon, lat); None without a service area."""
    box = func.ST_Extent(ServiceArea.geom)
    row = session.execute(
        select(func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box))).one()
    return None if row[0] is None else Extent(*(float(value) for value in row))

"""The public map's queries: counts per grid cell from map_cell, and reports one by one
(the list view's, on the same filters, are in repositories/public_reports.py).

Only reports on the public map are read (published, with a point, not ended without a fix), and only
their public columns: never reporter_contact. Statements are built once, with bound
parameters, as repositories/zones.py does (building one costs more than running it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    ColumnElement,
    DateTime,
    Float,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from feedbackgis.domain.map_grid import BoundingBox, GridWindow
from feedbackgis.domain.public_map import HIDDEN_STATUSES, AgeSplit, MapFilters, split_age
from feedbackgis.domain.statuses import FIXED_STATUSES
from feedbackgis.geo.crs import WGS84
from feedbackgis.models import Category, MapCell, Report
from feedbackgis.models.map_cell import EVERY_CATEGORY

report = Report.__table__.c
category = Category.__table__.c
cell = MapCell.__table__.c
# "Created at or after" when no age is asked: the database's earliest timestamp would do,
# but a bound parameter must be a Python datetime.
ANY_AGE = datetime(1, 1, 1, tzinfo=UTC)


def on_public_map() -> ColumnElement[bool]:
    """models.map_cell.ON_PUBLIC_MAP, with the hidden statuses as literals (not bound
    parameters) so that the planner may use the partial index on created_at."""
    hidden = [literal_column(f"'{status.value}'") for status in sorted(HIDDEN_STATUSES)]
    return and_(report.is_public, report.status.not_in(hidden),
                report.location.is_not(None))


def _ints(name: str):  # noqa: ANN202
    return bindparam(name, type_=ARRAY(Integer))


def _is_fixed(status: ColumnElement[str]) -> ColumnElement[bool]:
    return status.in_([literal_column(f"'{s.value}'") for s in sorted(FIXED_STATUSES)])


def report_filters() -> list[ColumnElement[bool]]:
    """The reports on the public map that the filters keep. Bound parameters: categories
    (0 alone: every category), fixed, since (report_filter_params gives all three)."""
    categories = _ints("categories")
    return [
        on_public_map(),
        or_(literal_column(str(EVERY_CATEGORY)) == any_(categories),
            report.category_id == any_(categories)),
        _is_fixed(report.status) == any_(bindparam("fixed", type_=ARRAY(Boolean))),
        report.created_at >= bindparam("since", type_=DateTime(timezone=True)),
    ]


def envelope():  # noqa: ANN202
    """Bound parameters: west, south, east, north (degrees)."""
    corners = [bindparam(side, type_=Float) for side in ("west", "south", "east", "north")]
    return func.ST_MakeEnvelope(*corners, WGS84)


def plan_for_these_values(session: Session) -> None:
    """Plan this transaction's statements for their own values. The best plan depends on
    them (which cells and categories, a street or a whole city, the last week or ten years).
    A generic plan, which PostgreSQL may cache once psycopg prepares a statement on its fifth
    run, dropped the arrays from the index conditions and read a city's reports through the
    GiST index: 35-50 ms instead of 3-5 ms for a city with an age filter, at 100,000 reports.
    Planning each time costs well under a millisecond."""
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


# --- counts per cell ------------------------------------------------------------------------

def _in_window(*period: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    """map_cell rows in the window, of the filters' categories and states, in `period`.
    Bound parameters: grid_zoom, categories (ids, or 0), fixed, columns, y_min, y_max."""
    return [
        cell.grid_zoom == bindparam("grid_zoom", type_=Integer),
        cell.category_id == any_(_ints("categories")),
        cell.fixed == any_(bindparam("fixed", type_=ARRAY(Boolean))),
        *period,
        cell.cell_x == any_(_ints("columns")),
        cell.cell_y.between(bindparam("y_min", type_=Integer), bindparam("y_max", type_=Integer)),
    ]


def _stored_cells(*period: ColumnElement[bool]):  # noqa: ANN202
    return select(cell.cell_x, cell.cell_y, cell.report_count, cell.lon_sum,
                  cell.lat_sum).where(*_in_window(*period))


def _counted_from_reports():  # noqa: ANN202
    """The reports of [since, reports_until) in the window, counted per cell as the trigger
    counts them: the part of the age filter that no stored period covers."""
    grid_zoom = bindparam("grid_zoom", type_=Integer)
    x = func.map_cell_x(func.ST_X(report.location), grid_zoom)
    y = func.map_cell_y(func.ST_Y(report.location), grid_zoom)
    return (
        select(x.label("cell_x"), y.label("cell_y"), func.count().label("report_count"),
               func.sum(func.ST_X(report.location)).label("lon_sum"),
               func.sum(func.ST_Y(report.location)).label("lat_sum"))
        .where(*report_filters(),
               report.created_at < bindparam("reports_until", type_=DateTime(timezone=True)),
               report.location.op("&&")(envelope()),
               x == any_(_ints("columns")),
               y.between(bindparam("y_min", type_=Integer), bindparam("y_max", type_=Integer)))
        .group_by(x, y)
    )


def _summed_per_cell(*parts):  # noqa: ANN002, ANN202
    rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    total = func.sum(rows.c.report_count)
    return (
        select(rows.c.cell_x, rows.c.cell_y, total.label("report_count"),
               (func.sum(rows.c.lon_sum) / total).label("lon"),
               (func.sum(rows.c.lat_sum) / total).label("lat"))
        .group_by(rows.c.cell_x, rows.c.cell_y)
        .having(total > 0)
        .order_by(rows.c.cell_y, rows.c.cell_x)
    )


CELLS_OF_ALL_TIME = _summed_per_cell(_stored_cells(cell.year == 0, cell.month == 0))
CELLS_SINCE = _summed_per_cell(
    _stored_cells(cell.year == any_(_ints("years")), cell.month == 0),
    _stored_cells(cell.year == bindparam("year_of_months", type_=Integer),
                  cell.month == any_(_ints("months"))),
    _counted_from_reports(),
)


@dataclass(frozen=True)
class CellCount:
    cell_x: int
    cell_y: int
    count: int
    lon: float  # the mean position of the cell's reports
    lat: float


def map_cells(session: Session, window: GridWindow, filters: MapFilters,
              now: datetime) -> list[CellCount]:
    """Counts and mean positions of the reports in each cell of `window` (north to south,
    west to east); every report of a cell counts, also one just outside the bbox."""
    plan_for_these_values(session)
    params = _window_params(window, filters)
    if filters.since is None:
        rows = session.execute(CELLS_OF_ALL_TIME, params)
    else:
        age = split_age(filters.since, now)
        rows = session.execute(CELLS_SINCE, params | _age_params(age, window))
    return [CellCount(r.cell_x, r.cell_y, int(r.report_count), r.lon, r.lat) for r in rows]


def _window_params(window: GridWindow, filters: MapFilters) -> dict[str, object]:
    return {
        "grid_zoom": window.grid_zoom, "columns": window.columns,
        "y_min": window.y_min, "y_max": window.y_max,
        "categories": list(filters.category_ids) or [EVERY_CATEGORY],
        "fixed": list(filters.state.fixed_values),
    }


def _age_params(age: AgeSplit, window: GridWindow) -> dict[str, object]:
    return {
        "years": list(age.years), "year_of_months": age.year_of_months,
        "months": list(age.months), "since": age.reports_from,
        "reports_until": age.reports_until, **bbox_params(window.envelope()),
    }


def _counts_per_period(*period: ColumnElement[bool]):  # noqa: ANN202
    return (select(cell.year, cell.month, func.sum(cell.report_count).label("report_count"))
            .where(*_in_window(*period)).group_by(cell.year, cell.month))


COUNTS_PER_YEAR = _counts_per_period(cell.year == any_(_ints("years")), cell.month == 0)
COUNTS_PER_MONTH = _counts_per_period(cell.year == bindparam("year", type_=Integer),
                                      cell.month == any_(_ints("months")))


def report_counts_per_year(session: Session, window: GridWindow, filters: MapFilters,
                           years: list[int]) -> dict[int, int]:
    """{year: reports created in it (UTC)} in the window's cells, whatever filters.since."""
    rows = session.execute(COUNTS_PER_YEAR, _window_params(window, filters) | {"years": years})
    return {r.year: int(r.report_count) for r in rows}


def report_counts_per_month(session: Session, window: GridWindow, filters: MapFilters,
                            year: int) -> dict[int, int]:
    rows = session.execute(COUNTS_PER_MONTH, _window_params(window, filters)
                           | {"year": year, "months": list(range(1, 13))})
    return {r.month: int(r.report_count) for r in rows}


# --- reports one by one ---------------------------------------------------------------------

def _reports_in_bbox():  # noqa: ANN202
    """The reports in the bbox first, then the newest of them (a fence, so that no plan walks
    the created_at index over a whole city to fill a quiet street's LIMIT). Only viewports of
    a screen's size get here, and busy ones with a `since` (services/public_map/
    newest_points.py), so the sort stays small."""
    in_view = (
        select(report.id, report.location, report.category_id, report.status,
               report.created_at)
        .where(*report_filters(), report.location.op("&&")(envelope()))
        .cte("in_view").prefix_with("MATERIALIZED")
    )
    return (
        select(in_view.c.id, func.ST_X(in_view.c.location).label("lon"),
               func.ST_Y(in_view.c.location).label("lat"), category.code.label("category"),
               in_view.c.status, in_view.c.created_at)
        .join(Category.__table__, category.id == in_view.c.category_id)
        .order_by(in_view.c.created_at.desc(), in_view.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )


NEWEST_REPORTS_IN_BBOX = _reports_in_bbox()


@dataclass(frozen=True)
class MapPoint:
    id: int
    lon: float
    lat: float
    category: str  # its code
    status: str
    created_at: datetime


def map_points(session: Session, bbox: BoundingBox, filters: MapFilters,
               limit: int) -> list[MapPoint]:
    """The newest `limit` reports in the bbox (edges included)."""
    plan_for_these_values(session)
    rows = session.execute(NEWEST_REPORTS_IN_BBOX, {**report_filter_params(filters),
                                                    **bbox_params(bbox), "limit": limit})
    return [MapPoint(r.id, r.lon, r.lat, r.category, str(r.status), r.created_at) for r in rows]


def report_filter_params(filters: MapFilters) -> dict[str, object]:
    return {"categories": list(filters.category_ids) or [EVERY_CATEGORY],
            "fixed": list(filters.state.fixed_values), "since": filters.since or ANY_AGE}


def bbox_params(bbox: BoundingBox) -> dict[str, float]:
    return {"west": bbox.west, "south": bbox.south, "east": bbox.east, "north": bbox.north}


CATEGORY_IDS = select(category.code, category.id).where(
    category.code == any_(bindparam("codes", type_=ARRAY(String))))


def category_ids_by_code(session: Session, codes: list[str]) -> dict[str, int]:
    """Ids of the categories among `codes` (active or not: old reports keep theirs)."""
    return {code: id_ for code, id_ in session.execute(CATEGORY_IDS, {"codes": codes})}


def rebuild_map_cells(session: Session) -> None:
    """Every count again from the reports (after a bulk load with the triggers disabled)."""
    session.execute(text("SELECT map_cells_rebuild()"))

"""The public map's queries: counts per grid cell from map_cell, and reports one by one.

Only reports on the public map are read (published, with a point, not rejected), and only
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
from feedbackgis.domain.public_map import FIXED_STATUSES, AgeSplit, MapFilters, split_age
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
    """models.map_cell.ON_PUBLIC_MAP, with the literal 'rejected' (not a bound parameter)
    so that the planner may use the partial index on created_at."""
    return and_(report.is_public, report.status != literal_column("'rejected'"),
                report.location.is_not(None))


def _ints(name: str):  # noqa: ANN202
    return bindparam(name, type_=ARRAY(Integer))


def _is_fixed(status: ColumnElement[str]) -> ColumnElement[bool]:
    return status.in_([literal_column(f"'{s.value}'") for s in sorted(FIXED_STATUSES)])


def _report_filters() -> list[ColumnElement[bool]]:
    """Bound parameters: categories (0 alone: every category), fixed, since."""
    categories = _ints("categories")
    return [
        on_public_map(),
        or_(literal_column(str(EVERY_CATEGORY)) == any_(categories),
            report.category_id == any_(categories)),
        _is_fixed(report.status) == any_(bindparam("fixed", type_=ARRAY(Boolean))),
        report.created_at >= bindparam("since", type_=DateTime(timezone=True)),
    ]


def _envelope(prefix: str = ""):  # noqa: ANN202
    corners = [bindparam(f"{prefix}{side}", type_=Float)
               for side in ("west", "south", "east", "north")]
    return func.ST_MakeEnvelope(*corners, WGS84)


# --- counts per cell ------------------------------------------------------------------------

def _stored_cells(*period: ColumnElement[bool]):  # noqa: ANN202
    """Rows of map_cell in the window, of the filters' categories and states, in `period`.
    Bound parameters: grid_zoom, categories (ids, or 0), fixed, columns, y_min, y_max."""
    return select(cell.cell_x, cell.cell_y, cell.report_count, cell.lon_sum, cell.lat_sum).where(
        cell.grid_zoom == bindparam("grid_zoom", type_=Integer),
        cell.category_id == any_(_ints("categories")),
        cell.fixed == any_(bindparam("fixed", type_=ARRAY(Boolean))),
        *period,
        cell.cell_x == any_(_ints("columns")),
        cell.cell_y.between(bindparam("y_min", type_=Integer), bindparam("y_max", type_=Integer)),
    )


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
        .where(*_report_filters(),
               report.created_at < bindparam("reports_until", type_=DateTime(timezone=True)),
               report.location.op("&&")(_envelope()),
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
    params = {
        "grid_zoom": window.grid_zoom, "columns": window.columns,
        "y_min": window.y_min, "y_max": window.y_max,
        "categories": list(filters.category_ids) or [EVERY_CATEGORY],
        "fixed": list(filters.state.fixed_values),
    }
    if filters.since is None:
        rows = session.execute(CELLS_OF_ALL_TIME, params)
    else:
        age = split_age(filters.since, now)
        rows = session.execute(CELLS_SINCE, params | _age_params(age, window))
    return [CellCount(r.cell_x, r.cell_y, int(r.report_count), r.lon, r.lat) for r in rows]


def _age_params(age: AgeSplit, window: GridWindow) -> dict[str, object]:
    envelope = window.envelope()
    return {
        "years": list(age.years), "year_of_months": age.year_of_months,
        "months": list(age.months), "since": age.reports_from,
        "reports_until": age.reports_until,
        "west": envelope.west, "south": envelope.south,
        "east": envelope.east, "north": envelope.north,
    }


# --- reports one by one ---------------------------------------------------------------------

def _reports_in_bbox():  # noqa: ANN202
    return (
        select(report.id, func.ST_X(report.location).label("lon"),
               func.ST_Y(report.location).label("lat"), category.code.label("category"),
               report.status, report.created_at)
        .join(Category.__table__, category.id == report.category_id)
        .where(*_report_filters(), report.location.op("&&")(_envelope()))
        .order_by(report.created_at.desc(), report.id.desc())
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
    rows = session.execute(NEWEST_REPORTS_IN_BBOX, {**report_filter_params(filters),
                                                    **_bbox_params(bbox), "limit": limit})
    return [MapPoint(r.id, r.lon, r.lat, r.category, str(r.status), r.created_at) for r in rows]


def report_filter_params(filters: MapFilters) -> dict[str, object]:
    return {"categories": list(filters.category_ids) or [EVERY_CATEGORY],
            "fixed": list(filters.state.fixed_values), "since": filters.since or ANY_AGE}


def _bbox_params(bbox: BoundingBox) -> dict[str, float]:
    return {"west": bbox.west, "south": bbox.south, "east": bbox.east, "north": bbox.north}


CATEGORY_IDS = select(category.code, category.id).where(
    category.code == any_(bindparam("codes", type_=ARRAY(String))))


def category_ids_by_code(session: Session, codes: list[str]) -> dict[str, int]:
    """Ids of the categories among `codes` (active or not: old reports keep theirs)."""
    return {code: id_ for code, id_ in session.execute(CATEGORY_IDS, {"codes": codes})}


def rebuild_map_cells(session: Session) -> None:
    """Every count again from the reports (after a bulk load with the triggers disabled)."""
    session.execute(text("SELECT map_cells_rebuild()"))


# --- the list view --------------------------------------------------------------------------

def _newest_reports_page():  # noqa: ANN202
    return (
        select(report.id, category.code, category.name_fi, category.name_sv, category.name_en,
               report.status, report.address, report.created_at,
               func.ST_X(report.location).label("lon"), func.ST_Y(report.location).label("lat"),
               func.left(report.description, bindparam("description_chars", type_=Integer))
               .label("description"))
        .join(Category.__table__, category.id == report.category_id)
        .where(*_report_filters(), report.location.op("&&")(_envelope()))
        .order_by(report.created_at.desc(), report.id.desc())
        .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    )


NEWEST_REPORTS_PAGE = _newest_reports_page()
# Counting stops at a limit: an exact count of a whole city's ten years would read every row.
REPORTS_COUNTED_UP_TO = select(func.count()).select_from(
    select(report.id).where(*_report_filters(), report.location.op("&&")(_envelope()))
    .limit(bindparam("limit", type_=Integer)).subquery())


@dataclass(frozen=True)
class ListedReport:
    id: int
    category_code: str
    category_names: dict[str, str]  # by language
    status: str
    address: str | None
    created_at: datetime
    lon: float
    lat: float
    description: str  # its first description_chars characters


def newest_reports(session: Session, bbox: BoundingBox, filters: MapFilters, *, limit: int,
                   offset: int, description_chars: int) -> list[ListedReport]:
    rows = session.execute(NEWEST_REPORTS_PAGE, {
        **report_filter_params(filters), **_bbox_params(bbox), "limit": limit,
        "offset": offset, "description_chars": description_chars})
    return [
        ListedReport(r.id, r.code, {"fi": r.name_fi, "sv": r.name_sv, "en": r.name_en},
                     str(r.status), r.address, r.created_at, r.lon, r.lat, r.description)
        for r in rows
    ]


def count_reports(session: Session, bbox: BoundingBox, filters: MapFilters, *,
                  up_to: int) -> int:
    """How many reports match, counting no further than `up_to`."""
    return session.scalar(REPORTS_COUNTED_UP_TO, {
        **report_filter_params(filters), **_bbox_params(bbox), "limit": up_to})

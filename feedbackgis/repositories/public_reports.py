"""The list view's queries: a page of the public map's reports, newest first, and how many
there are (counted up to a limit). The same reports and filters as repositories/public_map.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.map_grid import BoundingBox
from feedbackgis.domain.public_map import MapFilters
from feedbackgis.models import Category
from feedbackgis.repositories.public_map import (
    bbox_params,
    category,
    envelope,
    plan_for_these_values,
    report,
    report_filter_params,
    report_filters,
)


def _newest_reports_page():  # noqa: ANN202
    return (
        select(report.id, category.code, category.name_fi, category.name_sv, category.name_en,
               report.status, report.address, report.created_at,
               func.ST_X(report.location).label("lon"), func.ST_Y(report.location).label("lat"),
               func.left(func.coalesce(report.public_description, report.description),
                         bindparam("description_chars", type_=Integer)).label("description"))
        .join(Category.__table__, category.id == report.category_id)
        .where(*report_filters(), report.location.op("&&")(envelope()))
        .order_by(report.created_at.desc(), report.id.desc())
        .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    )


NEWEST_REPORTS_PAGE = _newest_reports_page()
# Counting stops at a limit: an exact count of a whole city's ten years would read every row.
REPORTS_COUNTED_UP_TO = select(func.count()).select_from(
    select(report.id).where(*report_filters(), report.location.op("&&")(envelope()))
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
    plan_for_these_values(session)
    rows = session.execute(NEWEST_REPORTS_PAGE, {
        **report_filter_params(filters), **bbox_params(bbox), "limit": limit,
        "offset": offset, "description_chars": description_chars})
    return [
        ListedReport(r.id, r.code, {"fi": r.name_fi, "sv": r.name_sv, "en": r.name_en},
                     str(r.status), r.address, r.created_at, r.lon, r.lat, r.description)
        for r in rows
    ]


def count_reports(session: Session, bbox: BoundingBox, filters: MapFilters, *,
                  up_to: int) -> int:
    """How many reports match, counting no further than `up_to`."""
    plan_for_these_values(session)
    return session.scalar(REPORTS_COUNTED_UP_TO, {
        **report_filter_params(filters), **bbox_params(bbox), "limit": up_to})

"""The list view of the public map's reports, for those who cannot use a map."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from feedbackgis.domain.map_grid import BoundingBox
from feedbackgis.domain.public_map import ReportState
from feedbackgis.repositories.public_reports import ListedReport, count_reports, newest_reports
from feedbackgis.services.public_map.filters import map_filters

# ListedReport is part of this service's answer (ReportPage.reports).
__all__ = ["ListedReport", "ReportListQuery", "ReportPage", "public_report_list"]

PAGE_SIZE = 20
MAX_PAGE = 500
# Counting stops here (MAX_PAGE full pages): an exact count of every report of a city's ten
# years would read them all on each request; the page says "more than 10,000" instead.
COUNT_LIMIT = PAGE_SIZE * MAX_PAGE
DESCRIPTION_CHARS = 200
WHOLE_WORLD = BoundingBox(-180.0, -90.0, 180.0, 90.0)


@dataclass(frozen=True)
class ReportListQuery:
    bbox: BoundingBox | None = None  # None: everywhere
    categories: tuple[str, ...] = ()
    state: ReportState = ReportState.ALL
    days: int | None = None
    page: int = 1


@dataclass(frozen=True)
class ReportPage:
    page: int
    page_size: int
    total: int  # at most COUNT_LIMIT
    total_exact: bool  # False: there are more than `total`
    reports: list[ListedReport]

    @property
    def pages(self) -> int:
        return -(-self.total // self.page_size)


def public_report_list(session: Session, query: ReportListQuery, now: datetime) -> ReportPage:
    """Newest first, PAGE_SIZE a page; descriptions shortened to DESCRIPTION_CHARS."""
    filters = map_filters(session, query.categories, query.state, query.days, now)
    bbox = query.bbox or WHOLE_WORLD
    counted = count_reports(session, bbox, filters, up_to=COUNT_LIMIT + 1)
    reports = newest_reports(session, bbox, filters, limit=PAGE_SIZE,
                             offset=(query.page - 1) * PAGE_SIZE,
                             description_chars=DESCRIPTION_CHARS + 1)
    return ReportPage(
        page=query.page, page_size=PAGE_SIZE, total=min(counted, COUNT_LIMIT),
        total_exact=counted <= COUNT_LIMIT,
        reports=[_shortened(r) for r in reports],
    )


def _shortened(listed: ListedReport) -> ListedReport:
    return replace(listed, description=shorten(listed.description))


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """At most `limit` characters: cut at the last space before it, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip() + "…"

"""GeoReport v2 reads: public reports as service requests, active categories as services.

Only public reports, and of them only what anyone may see: the public text, the assigned
party's name, the latest public reply, the first photo not hidden. Never the reporter's
contact, a staff member or an internal note.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Text,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, joinedload, selectinload

from feedbackgis.geo.crs import WGS84
from feedbackgis.models import Category, EventKind, Photo, Report, ReportEvent
from feedbackgis.repositories.nearby import search_box_degrees
from feedbackgis.repositories.open311_documents import (
    DocumentSettings,
    documents_select,
)
from feedbackgis.repositories.public_map import plan_for_these_values


@dataclass(frozen=True)
class RequestFilter:
    """What GET requests narrows the public reports by; None is no condition."""

    ids: Collection[int] | None = None
    category_code: str | None = None
    statuses: Collection[str] | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    # (min lon, min lat, max lon, max lat) in degrees, edges included.
    bbox: tuple[float, float, float, float] | None = None
    # (lon, lat, metres): within that distance on the spheroid.
    circle: tuple[float, float, float] | None = None


# Built once (as repositories/nearby.py's query): requests/{id} is the most frequent call.
REQUESTS = documents_select()
_BY_ID = REQUESTS.where(Report.id == bindparam("report_id", type_=Integer)).subquery()
REQUEST_BY_ID = select(cast(_BY_ID.c.document, Text))


# A page of the newest reports that the newest alone fill is found among them alone: a dense
# viewport of ten years (some 20,000 public points in the box at a million reports, scattered
# over the table: 300 ms to read) is asked of the last 120 days (a bitmap AND of the GiST
# and created_at indexes, 10-15 ms: a viewport sized for 500 of the spec's 90 days fills its
# page there), then of the last year (30-50 ms), and only then of all time. Whether a
# viewport is dense is asked first, by counting its points up to DENSE times the rows the
# page needs on the GiST index alone (1-3 ms): a sparse one is read at once in full (13 ms
# for 500 points at 100,000 reports, where the windows cost 10 ms more and fill nothing).
RECENT_FIRST = (timedelta(days=120), timedelta(days=365))
DENSE = 4


@dataclass(frozen=True)
class DocumentPage:
    json: str  # a JSON array of the spec's service requests (repositories/open311_documents)
    count: int


def public_requests(session: Session, where: RequestFilter, settings: DocumentSettings, *,
                    limit: int, offset: int = 0) -> DocumentPage:
    """Public reports matching `where`, newest first (then by id, so that pages neither skip
    nor repeat one): for a bbox or a circle on the GiST index of public points, at once for
    a sparse viewport, through RECENT_FIRST's windows for a dense one."""
    plan_for_these_values(session)
    spatial = where.bbox is not None or where.circle is not None
    if (spatial and where.created_from is None and where.created_to is None
            and _holds_at_least(session, where, DENSE * (limit + offset))):
        for window in RECENT_FIRST:
            page = _page(session, where, settings, limit, offset, func.now() - window)
            if page.count == limit:
                return page
    return _page(session, where, settings, limit, offset)


def _holds_at_least(session: Session, where: RequestFilter, count: int) -> bool:
    found = (select(Report.id).join(Category, Category.id == Report.category_id)
             .where(Report.is_public, *_conditions(where)).limit(count).subquery())
    return session.scalar(select(func.count()).select_from(found)) >= count


def _page(session: Session, where: RequestFilter, settings: DocumentSettings, limit: int,
          offset: int, since: ColumnElement[datetime] | None = None) -> DocumentPage:
    query = REQUESTS.where(*_conditions(where))
    if since is not None:
        query = query.where(Report.created_at >= since)
    page = (query.order_by(Report.created_at.desc(), Report.id.desc())
            .limit(limit).offset(offset).subquery())
    documents = func.json_agg(aggregate_order_by(page.c.document, page.c.created_at.desc(),
                                                 page.c.id.desc()))
    row = session.execute(select(cast(func.coalesce(documents, literal_column("'[]'::json")),
                                      Text), func.count()).select_from(page),
                          settings.parameters()).one()
    return DocumentPage(row[0], row[1])


def public_request(session: Session, report_id: int, settings: DocumentSettings) -> str | None:
    """The public report `report_id` as the spec's document (JSON), or None: one round trip
    (a statement by its primary key needs no plan for its values). Run on the connection:
    it reads no ORM rows, and the session's execution path took as long as the rest."""
    return session.connection().scalar(REQUEST_BY_ID,
                                       {"report_id": report_id, **settings.parameters()})


def _conditions(where: RequestFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.ids is not None:
        conditions.append(Report.id.in_(list(where.ids)))
    if where.category_code is not None:
        conditions.append(Category.code == where.category_code)
    if where.statuses is not None:
        conditions.append(Report.status.in_(sorted(where.statuses)))
    for column, low, high in ((Report.created_at, where.created_from, where.created_to),
                              (Report.updated_at, where.updated_from, where.updated_to)):
        if low is not None:
            conditions.append(column >= low)
        if high is not None:
            conditions.append(column <= high)
    if where.bbox is not None:
        # ST_Intersects: the index finds the candidates by their boxes, then the exact test
        # (a bare && compares float-rounded boxes and may take a point just outside).
        conditions.append(func.ST_Intersects(Report.location,
                                             func.ST_MakeEnvelope(*where.bbox, WGS84)))
    if where.circle is not None:
        conditions.extend(_within(*where.circle))
    return conditions


def _within(lon: float, lat: float, metres: float) -> list[ColumnElement[bool]]:
    """Within `metres` of (lon, lat): a box of degrees that holds the circle on the GiST
    index, then the distance on the spheroid (a geography cast alone reads every report)."""
    dx, dy = search_box_degrees(lat, metres)
    if lon - dx < -180 or lon + dx > 180:
        dx = 360.0  # the circle crosses the antimeridian: every longitude is a candidate
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), WGS84)
    return [Report.location.op("&&")(func.ST_Expand(point, dx, dy)),
            func.ST_DWithin(func.Geography(Report.location), func.Geography(point), metres)]


@dataclass(frozen=True)
class PublicEvent:
    at: datetime
    to_status: str | None
    note: str | None


@dataclass
class RequestExtras:
    """What extensions=true adds to a request: our own status, its public log and its
    public photos."""

    status: str = ""
    events: list[PublicEvent] = field(default_factory=list)
    photo_ids: list[int] = field(default_factory=list)


def request_extras(session: Session, report_ids: Collection[int]) -> dict[int, RequestExtras]:
    """The public events (status changes and replies, oldest first) and the photos not
    hidden (in their order) of the reports, in one query for a whole page: never an
    internal event, never who wrote it."""
    ids = list(report_ids)
    extras = {report_id: RequestExtras() for report_id in ids}
    if not ids:
        return extras
    events = (select(literal("e").label("what"), ReportEvent.report_id,
                     ReportEvent.created_at.label("at"), literal(0).label("position"),
                     ReportEvent.id.label("item"),
                     cast(ReportEvent.to_status, String).label("to_status"), ReportEvent.note)
              .where(ReportEvent.report_id.in_(ids), ReportEvent.is_public.is_(True),
                     or_(ReportEvent.to_status.is_not(None),
                         ReportEvent.kind == EventKind.REPLY)))
    photos = (select(literal("p"), Photo.report_id, null(), Photo.position, Photo.id, null(),
                     null())
              .where(Photo.report_id.in_(ids), Photo.hidden.is_(False)))
    statuses = (select(literal("s"), Report.id, null(), literal(-1), Report.id,
                       cast(Report.status, String), null()).where(Report.id.in_(ids)))
    union = union_all(events, photos, statuses).subquery()
    for row in session.execute(select(union).order_by(union.c.at, union.c.position, union.c.item)):
        if row.what == "s":
            extras[row.report_id].status = row.to_status
        elif row.what == "e":
            extras[row.report_id].events.append(
                PublicEvent(row.at, row.to_status, row.note))
        else:
            extras[row.report_id].photo_ids.append(row.item)
    return extras


def active_categories(session: Session) -> list[Category]:
    """Every active category with its questions, by code."""
    return list(session.scalars(
        select(Category).where(Category.active.is_(True))
        .options(selectinload(Category.questions)).order_by(Category.code)))


# Its questions joined in (one statement, not two); built once: every POST reads it first.
ACTIVE_CATEGORY = (select(Category)
                   .where(Category.active.is_(True), Category.code == bindparam("code"))
                   .options(joinedload(Category.questions)))


def active_category(session: Session, code: str) -> Category | None:
    return session.scalars(ACTIVE_CATEGORY, {"code": code}).unique().one_or_none()

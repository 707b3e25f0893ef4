"""GeoReport v2 reads: public reports as service requests, active categories as services.

Only public reports, and of them only what anyone may see: the public text, the assigned
party's name, the latest public reply, the first photo not hidden. Never the reporter's
contact, a staff member or an internal note.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from feedbackgis.geo.crs import WGS84
from feedbackgis.models import Category, EventKind, Party, Photo, Report, ReportEvent
from feedbackgis.repositories.nearby import search_box_degrees
from feedbackgis.repositories.public_map import plan_for_these_values


@dataclass(frozen=True)
class RequestRow:
    id: int
    status: str
    category_code: str
    category_names: dict[str, str]  # by language
    text: str
    party_name: str | None
    address: str | None
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    lon: float | None
    lat: float | None
    latest_reply: str | None
    photo_id: int | None


def _latest_reply():  # noqa: ANN202
    return (select(ReportEvent.note)
            .where(ReportEvent.report_id == Report.id, ReportEvent.kind == EventKind.REPLY,
                   ReportEvent.is_public.is_(True), ReportEvent.note.is_not(None))
            .order_by(ReportEvent.id.desc()).limit(1).correlate(Report).scalar_subquery())


def _first_photo():  # noqa: ANN202
    # What /photos/<id>.jpg serves to anyone: a photo of a public report not hidden.
    return (select(Photo.id).where(Photo.report_id == Report.id, Photo.hidden.is_(False))
            .order_by(Photo.position, Photo.id).limit(1).correlate(Report).scalar_subquery())


def _requests_select():  # noqa: ANN202
    return (
        select(Report.id, Report.status, Category.code, Category.name_fi, Category.name_sv,
               Category.name_en,
               func.coalesce(Report.public_description, Report.description).label("text"),
               Party.name.label("party_name"), Report.address, Report.created_at,
               Report.updated_at, Report.due_at,
               func.ST_X(Report.location).label("lon"), func.ST_Y(Report.location).label("lat"),
               _latest_reply().label("latest_reply"), _first_photo().label("photo_id"))
        .join(Category, Category.id == Report.category_id)
        .outerjoin(Party, Party.id == Report.assigned_party_id)
        # The bare column, as the partial GiST index's predicate is written (is_public).
        .where(Report.is_public)
    )


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
REQUESTS = _requests_select()
REQUEST_BY_ID = REQUESTS.where(Report.id == bindparam("report_id", type_=Integer))


# A page of the newest reports that the newest alone fill is found among them alone: a dense
# viewport of ten years (some 20,000 public points in the box at a million reports, scattered
# over the table: 300 ms to read) is asked of the last 120 days (a bitmap AND of the GiST
# and created_at indexes, 10-15 ms: a viewport sized for 500 of the spec's 90 days fills its
# page there), then of the last year (30-50 ms), and only then of all time.
RECENT_FIRST = (timedelta(days=120), timedelta(days=365))


def public_requests(session: Session, where: RequestFilter, *, limit: int,
                    offset: int = 0) -> list[RequestRow]:
    """Public reports matching `where`, newest first (then by id, so that pages neither skip
    nor repeat one): one query on the GiST index of public points for a bbox or a circle
    (one more for each of RECENT_FIRST's windows a sparse viewport needs)."""
    # Planned for this box and these dates: a generic plan (psycopg prepares a statement on
    # its fifth run) cannot tell a street from a city.
    plan_for_these_values(session)
    spatial = where.bbox is not None or where.circle is not None
    if spatial and where.created_from is None and where.created_to is None:
        for window in RECENT_FIRST:
            rows = _page(session, where, limit, offset, func.now() - window)
            if len(rows) == limit:
                return rows
    return _page(session, where, limit, offset)


def _page(session: Session, where: RequestFilter, limit: int, offset: int,
          since: ColumnElement[datetime] | None = None) -> list[RequestRow]:
    query = REQUESTS.where(*_conditions(where))
    if since is not None:
        query = query.where(Report.created_at >= since)
    return _rows(session.execute(query.order_by(Report.created_at.desc(), Report.id.desc())
                                 .limit(limit).offset(offset)))


def public_request(session: Session, report_id: int) -> RequestRow | None:
    """The public report `report_id` as a request, or None."""
    rows = _rows(session.execute(REQUEST_BY_ID, {"report_id": report_id}))
    return rows[0] if rows else None


def _rows(rows: Iterable[Row]) -> list[RequestRow]:
    return [
        RequestRow(r.id, str(r.status), r.code, {"fi": r.name_fi, "sv": r.name_sv,
                                                  "en": r.name_en},
                   r.text, r.party_name, r.address, r.created_at, r.updated_at, r.due_at,
                   r.lon, r.lat, r.latest_reply, r.photo_id)
        for r in rows
    ]


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
    kind: str
    to_status: str | None
    note: str | None


@dataclass
class RequestExtras:
    """What extensions=true adds to a request: its public log and its public photos."""

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
                     ReportEvent.id.label("item"), cast(ReportEvent.kind, String).label("kind"),
                     cast(ReportEvent.to_status, String).label("to_status"), ReportEvent.note)
              .where(ReportEvent.report_id.in_(ids), ReportEvent.is_public.is_(True),
                     or_(ReportEvent.to_status.is_not(None),
                         ReportEvent.kind == EventKind.REPLY)))
    photos = (select(literal("p"), Photo.report_id, null(), Photo.position, Photo.id, null(),
                     null(), null())
              .where(Photo.report_id.in_(ids), Photo.hidden.is_(False)))
    union = union_all(events, photos).subquery()
    for row in session.execute(select(union).order_by(union.c.at, union.c.position, union.c.item)):
        if row.what == "e":
            extras[row.report_id].events.append(
                PublicEvent(row.at, row.kind, row.to_status, row.note))
        else:
            extras[row.report_id].photo_ids.append(row.item)
    return extras


def active_categories(session: Session) -> list[Category]:
    """Every active category with its questions, by code."""
    return list(session.scalars(
        select(Category).where(Category.active.is_(True))
        .options(selectinload(Category.questions)).order_by(Category.code)))


def active_category(session: Session, code: str) -> Category | None:
    return session.scalar(
        select(Category).where(Category.active.is_(True), Category.code == code)
        .options(selectinload(Category.questions)))

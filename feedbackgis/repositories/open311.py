"""GeoReport v2 reads: public reports as service requests, active categories as services.

Only public reports, and of them only what anyone may see: the public text, the assigned
party's name, the latest public reply, the first photo not hidden. Never the reporter's
contact, a staff member or an internal note.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from feedbackgis.models import Category, EventKind, Party, Photo, Report, ReportEvent


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
        .where(Report.is_public.is_(True))
    )


def public_requests(session: Session, *, ids: Collection[int] | None = None,
                    category_code: str | None = None, statuses: Collection[str] | None = None,
                    created_from: datetime | None = None, created_to: datetime | None = None,
                    limit: int) -> list[RequestRow]:
    """Public reports newest first: those of `ids`, or those matching the other filters."""
    query = _requests_select()
    if ids is not None:
        query = query.where(Report.id.in_(list(ids)))
    if category_code is not None:
        query = query.where(Category.code == category_code)
    if statuses is not None:
        query = query.where(Report.status.in_(list(statuses)))
    if created_from is not None:
        query = query.where(Report.created_at >= created_from)
    if created_to is not None:
        query = query.where(Report.created_at <= created_to)
    rows = session.execute(
        query.order_by(Report.created_at.desc(), Report.id.desc()).limit(limit))
    return [
        RequestRow(r.id, str(r.status), r.code, {"fi": r.name_fi, "sv": r.name_sv,
                                                  "en": r.name_en},
                   r.text, r.party_name, r.address, r.created_at, r.updated_at, r.due_at,
                   r.lon, r.lat, r.latest_reply, r.photo_id)
        for r in rows
    ]


def active_categories(session: Session) -> list[Category]:
    """Every active category with its questions, by code."""
    return list(session.scalars(
        select(Category).where(Category.active.is_(True))
        .options(selectinload(Category.questions)).order_by(Category.code)))


def active_category(session: Session, code: str) -> Category | None:
    return session.scalar(
        select(Category).where(Category.active.is_(True), Category.code == code)
        .options(selectinload(Category.questions)))

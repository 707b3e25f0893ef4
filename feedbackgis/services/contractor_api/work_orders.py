"""What a contractor system reads: its party's work orders, one or a page of them.

A work order is a report assigned to the party. Anything else by id (another party's
report, one reassigned or sent back to triage, no report at all) is NotFound, the same
answer for each, so that ids tell nothing of other parties' work.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.domain.work_orders import seen_by_party
from feedbackgis.errors import NotFound
from feedbackgis.mail.compose import SharedContact
from feedbackgis.models import ContactAccess, EventKind, Photo, Report, ReportEvent
from feedbackgis.services.notifications.report_notifications import contact_shared_with_party

# Where the API's own notes and photos are marked (ReportEvent.data["by"]).
BY_API = "contractor_api"
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 100
MAX_PAGE = 1000
# The statuses a report assigned to a party can be in (triage clears the party).
WORK_ORDER_STATUSES = tuple(s for s in ReportStatus
                            if s not in (ReportStatus.RECEIVED, ReportStatus.TRIAGE))
OPEN_WORK_ORDER_STATUSES = tuple(s for s in WORK_ORDER_STATUSES if s in OPEN_STATUSES)


@dataclass(frozen=True)
class WorkOrderQuery:
    statuses: tuple[ReportStatus, ...] = OPEN_WORK_ORDER_STATUSES
    updated_after: datetime | None = None
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT


@dataclass(frozen=True)
class WorkOrder:
    """A report as its party sees it."""

    report: Report
    contact: SharedContact | None  # only where the category shares it with the party
    events: list[ReportEvent]  # the history the party may read, oldest first
    photos: list[Photo]  # those staff did not hide


@dataclass(frozen=True)
class WorkOrderPage:
    page: int
    per_page: int
    total: int
    work_orders: list[WorkOrder]


def list_work_orders(session: Session, party_id: int, query: WorkOrderQuery) -> WorkOrderPage:
    """The party's work orders in `query.statuses`, least recently updated first (a system
    that syncs with `updated_after` catches up in order), a page at a time."""
    where = [Report.assigned_party_id == party_id, Report.status.in_(query.statuses)]
    if query.updated_after is not None:
        where.append(Report.updated_at > query.updated_after)
    total = session.scalar(select(func.count()).select_from(Report).where(*where)) or 0
    reports = session.scalars(
        select(Report).where(*where).order_by(Report.updated_at, Report.id)
        .limit(query.per_page).offset((query.page - 1) * query.per_page)
        .options(selectinload(Report.events), selectinload(Report.photos))).all()
    orders = [work_order_of(session, r) for r in reports]
    _log_contacts_shown(session, orders)
    return WorkOrderPage(page=query.page, per_page=query.per_page, total=total,
                         work_orders=orders)


def get_work_order(session: Session, party_id: int, report_id: int) -> WorkOrder:
    order = work_order_of(session, party_report(session, party_id, report_id))
    _log_contacts_shown(session, [order])
    return order


def _log_contacts_shown(session: Session, orders: list[WorkOrder]) -> None:
    """Each reporter's contact handed to a contractor's system is logged, as the pages log
    each showing (GDPR); commits."""
    shown = [order.report.id for order in orders if order.contact is not None]
    for report_id in shown:
        session.add(ContactAccess(report_id=report_id, staff_user_id=None,
                                  context="contractor_api"))
    if shown:
        session.commit()


def party_report(session: Session, party_id: int, report_id: int, *,
                 for_update: bool = False) -> Report:
    """The report when it is assigned to the party (its row locked `for_update`)."""
    report = session.get(Report, report_id, populate_existing=for_update,
                         with_for_update={"of": Report} if for_update else None)
    if report is None or report.assigned_party_id != party_id:
        raise NotFound(f"No work order with id {report_id}.")
    return report


def work_order_of(session: Session, report: Report) -> WorkOrder:
    party_id = report.assigned_party_id
    events = [e for e in report.events
              if seen_by_party(e.kind.value, e.is_public) or _own_note(e, party_id)]
    return WorkOrder(report=report, contact=contact_shared_with_party(session, report),
                     events=events, photos=[p for p in report.photos if not p.hidden])


def _own_note(event: ReportEvent, party_id: int | None) -> bool:
    data = event.data or {}
    return (event.kind is EventKind.NOTE and data.get("by") == BY_API
            and data.get("party_id") == party_id)


def work_order_photo_key(session: Session, party_id: int, report_id: int, photo_id: int, *,
                         thumbnail: bool = False) -> str:
    """The storage key of a photo of the party's work order that staff did not hide."""
    report = party_report(session, party_id, report_id)
    photo = session.scalar(select(Photo).where(
        Photo.id == photo_id, Photo.report_id == report.id, Photo.hidden.is_(False)))
    if photo is None:
        raise NotFound("No such photo.")
    if thumbnail and photo.thumbnail_key is not None:
        return photo.thumbnail_key
    return photo.image_key

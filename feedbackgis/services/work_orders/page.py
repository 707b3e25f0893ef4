"""What a work order page shows its holder, and the reporter's contact on request (logged).

The report's facts, its visible photos (none that staff hid), the answers to the category's
questions, the history a party may read (domain/work_orders.seen_by_party: never the city's
internal notes), and the actions its status allows. The contact is not part of the page:
like the staff page's, it is shown on a form's request and each showing is logged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from geoalchemy2.shape import to_shape
from sqlalchemy.orm import Session

from feedbackgis.domain.inbox import days_late, is_overdue
from feedbackgis.domain.work_orders import (
    WorkOrderAction,
    available_actions,
    is_accepted,
    seen_by_party,
)
from feedbackgis.errors import Forbidden, NotFound
from feedbackgis.mail.links import openstreetmap_url
from feedbackgis.models import ContactAccess, Photo, Report, ReporterContact, ReportEvent
from feedbackgis.services.staff.report_page import show_contact
from feedbackgis.services.work_orders.access import (
    WorkOrderHolder,
    holder_sees_contact,
    work_order_for,
)

# Where the contact access log says a contractor saw it (staff pages log "staff_page").
CONTACT_CONTEXT_PAGE = "work_order_page"
CONTACT_CONTEXT_LINK = "work_order_link"


@dataclass(frozen=True)
class WorkOrderPage:
    report: Report
    events: list[ReportEvent]
    photos: list[Photo]
    actions: list[WorkOrderAction]
    accepted: bool
    may_see_contact: bool
    has_contact: bool
    point: tuple[float, float] | None  # lon, lat
    map_url: str | None
    late_days: int | None

    def offers(self, action: str) -> bool:
        return WorkOrderAction(action) in self.actions


def work_order_page(session: Session, holder: WorkOrderHolder, report_id: int,
                    now: datetime | None = None) -> WorkOrderPage:
    report = work_order_for(session, holder, report_id)
    now = now or datetime.now(UTC)
    accepted = is_accepted([str(event.kind) for event in report.events])
    point = None
    if report.location is not None:
        shape = to_shape(report.location)
        point = (shape.x, shape.y)
    may_see_contact = holder_sees_contact(holder, report)
    return WorkOrderPage(
        report=report,
        events=[e for e in report.events if seen_by_party(str(e.kind), e.is_public)],
        photos=[photo for photo in report.photos if not photo.hidden],
        actions=available_actions(report.status, accepted), accepted=accepted,
        may_see_contact=may_see_contact,
        has_contact=may_see_contact and session.get(ReporterContact, report.id) is not None,
        point=point, map_url=openstreetmap_url(*point) if point else None,
        late_days=(days_late(report.due_at, now)
                   if is_overdue(report.status, report.due_at, now) else None),
    )


def visible_photo_key(session: Session, holder: WorkOrderHolder, report_id: int,
                      photo_id: int, *, thumbnail: bool = False) -> str:
    """The storage key of one of the work order's photos that staff did not hide (its
    thumbnail when made and asked for); NotFound for any other photo."""
    report = work_order_for(session, holder, report_id)
    photo = next((p for p in report.photos if p.id == photo_id and not p.hidden), None)
    if photo is None:
        raise NotFound("No such photo.")
    return photo.thumbnail_key if thumbnail and photo.thumbnail_key else photo.image_key


def show_work_order_contact(session: Session, holder: WorkOrderHolder,
                            report_id: int) -> ReporterContact | None:
    """The reporter's contact for the holder, logged; commits. Forbidden where the category
    does not share it; None when the reporter left none."""
    report = work_order_for(session, holder, report_id)
    if not holder_sees_contact(holder, report):
        raise Forbidden("The category does not share the reporter's contact details.")
    if holder.user is not None:
        return show_contact(session, holder.user, report.id, context=CONTACT_CONTEXT_PAGE)
    contact = session.get(ReporterContact, report.id)
    if contact is None:
        return None
    # Through a link there is no account to name: the log says it was the link.
    session.add(ContactAccess(report_id=report.id, staff_user_id=None,
                              context=CONTACT_CONTEXT_LINK))
    session.commit()
    return contact

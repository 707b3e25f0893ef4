"""What a report's staff page shows, for the user looking at it, and the contact log.

Everything about the report that the user's role may see: its whole history (internal
notes too), every photo (hidden ones marked), nearby open reports, the actions offered.
The reporter's contact is not part of it: it is shown on request, and each showing is
written to the contact access log (show_contact).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Action, Role
from feedbackgis.domain.response_texts import fill_placeholders
from feedbackgis.domain.statuses import ReportStatus, staff_choices
from feedbackgis.domain.work_orders import seen_by_party
from feedbackgis.errors import NotFound
from feedbackgis.models import (
    Category,
    ContactAccess,
    Party,
    Report,
    ReporterContact,
    ReportEvent,
    ResponseTemplate,
    StaffUser,
)
from feedbackgis.repositories.staff_reports import NearbyReport, nearby_reports, staff_of_party
from feedbackgis.services.catalog.response_templates import templates_for
from feedbackgis.services.moderation.publishing import PersonalDataFound, personal_data_of
from feedbackgis.services.staff.access import actor_of, check_may, user_may

NEARBY_RADIUS_M = 250
NEARBY_LIMIT = 10


@dataclass
class StaffReportPage:
    report: Report
    events: list[ReportEvent]
    allowed: frozenset[Action]
    status_choices: list[ReportStatus]
    nearby: list[NearbyReport]
    # Staff names of the events, by staff user id.
    staff_names: dict[int, str]
    # For the moderator: what looks like personal data in the texts the public would read.
    findings: PersonalDataFound | None = None
    people: list[StaffUser] = field(default_factory=list)  # whom it may be given to
    parties: list[Party] = field(default_factory=list)  # where it may be reassigned
    categories: list[Category] = field(default_factory=list)
    has_contact: bool = False
    # Ready answers for the reply box (response templates that are not automatic).
    templates: list[ResponseTemplate] = field(default_factory=list)
    point: tuple[float, float] | None = None  # lon, lat

    def may(self, action: Action | str) -> bool:
        return Action(action) in self.allowed


def report_for_staff(session: Session, user: StaffUser, report_id: int) -> Report:
    """The report, or NotFound when there is none or user may not see it (alike)."""
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    check_may(user, Action.VIEW_REPORT, report)
    return report


def staff_report_page(session: Session, user: StaffUser, report_id: int) -> StaffReportPage:
    report = report_for_staff(session, user, report_id)
    allowed = frozenset(action for action in Action if user_may(user, action, report))
    page = StaffReportPage(
        report=report, events=_events_for(user, report), allowed=allowed,
        status_choices=staff_choices(report.status) if Action.CHANGE_STATUS in allowed else [],
        nearby=nearby_reports(session, report, actor_of(user), radius_m=NEARBY_RADIUS_M,
                              limit=NEARBY_LIMIT),
        staff_names=_staff_names(session, report.events),
        has_contact=session.get(ReporterContact, report.id) is not None,
        point=_lon_lat(report),
    )
    if Action.REPLY_PUBLICLY in allowed:
        page.templates = templates_for(session, report)
    if Action.MODERATE in allowed:
        page.findings = personal_data_of(report)
    if Action.ASSIGN_PERSON in allowed and report.assigned_party_id is not None:
        page.people = staff_of_party(session, report.assigned_party_id)
    if Action.REASSIGN in allowed:
        page.parties = list(session.scalars(select(Party).where(Party.active)
                                            .order_by(Party.name)))
        page.categories = list(session.scalars(select(Category).where(Category.active)
                                               .order_by(Category.code)))
    return page


def _events_for(user: StaffUser, report: Report) -> list[ReportEvent]:
    """The whole history, but to a contractor: never the city's internal notes."""
    if user.role is Role.CONTRACTOR:
        return [e for e in report.events if seen_by_party(str(e.kind), e.is_public)]
    return list(report.events)


def show_contact(session: Session, user: StaffUser, report_id: int,
                 context: str = "staff_page") -> ReporterContact | None:
    """The reporter's contact details for user, logged (GDPR: who saw whose data); commits.
    None when the reporter left none (nothing is logged then)."""
    report = report_for_staff(session, user, report_id)
    check_may(user, Action.VIEW_CONTACT, report)
    contact = session.get(ReporterContact, report.id)
    if contact is None:
        return None
    session.add(ContactAccess(report_id=report.id, staff_user_id=user.id, context=context))
    session.commit()
    return contact


def _lon_lat(report: Report) -> tuple[float, float] | None:
    if report.location is None:
        return None
    shape = to_shape(report.location)
    return shape.x, shape.y


def _staff_names(session: Session, events: list[ReportEvent]) -> dict[int, str]:
    ids = {event.staff_user_id for event in events if event.staff_user_id is not None}
    if not ids:
        return {}
    users = session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))
    return {user.id: user.name or user.email for user in users}


def template_text(page: StaffReportPage, template_id: int) -> str | None:
    """A ready answer's text for the report, in the reporter's language, placeholders filled;
    None when it is not one of the page's templates."""
    report = page.report
    for template in page.templates:
        if template.id == template_id:
            language = report.language
            return fill_placeholders(template.text(language), report_id=report.id,
                                     category=report.category.name(language))
    return None

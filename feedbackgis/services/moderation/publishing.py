"""Moderators publish reports by the category's policy, edit what the public reads, and
take reports off the public map.

The reporter's own words are never changed: an edit goes to public_description, and the
text it replaced is kept in the history (a MODERATED event, staff only).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.limits import ADDRESS_MAX_LENGTH, DESCRIPTION_MAX_LENGTH
from feedbackgis.domain.permissions import Action
from feedbackgis.domain.personal_data import Finding, find_personal_data
from feedbackgis.domain.publication import PublishPolicy
from feedbackgis.domain.statuses import CLOSED_STATUSES
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.models import EventKind, Report, ReportEvent, StaffUser
from feedbackgis.services.reports.staff_replies import checked_text
from feedbackgis.services.staff.access import actor_name, check_may, user_may

QUEUE_LIMIT = 100


@dataclass(frozen=True)
class PersonalDataFound:
    """What looks like personal data in what the public would read of a report."""

    text: list[Finding]  # in its public text
    address: list[Finding]  # in its address

    def __bool__(self) -> bool:
        return bool(self.text or self.address)


def personal_data_of(report: Report) -> PersonalDataFound:
    return PersonalDataFound(find_personal_data(report.public_text),
                             find_personal_data(report.address or ""))


def moderation_queue(session: Session,
                     user: StaffUser) -> list[tuple[Report, PersonalDataFound]]:
    """The reports waiting for a moderator, oldest first, each with what looks like
    personal data in its public text and address."""
    if not user_may(user, Action.MODERATE):
        return []
    reports = session.scalars(
        select(Report).where(Report.moderation_pending,
                             Report.status.not_in(sorted(CLOSED_STATUSES)))
        .order_by(Report.created_at, Report.id).limit(QUEUE_LIMIT))
    return [(report, personal_data_of(report)) for report in reports]


def publish_report(session: Session, report_id: int, user: StaffUser,
                   public_text: str | None = None, address: str | None = None) -> Report:
    """Publish the report with the moderator's edits of its text and address (when given),
    or save those edits of a report public already; commits."""
    report = _report_for_update(session, report_id, user, Action.PUBLISH)
    if report.category.publish_policy is PublishPolicy.NEVER:
        raise Conflict("Reports of this category are never published.", field="publish")
    if not report.is_public and report.status in CLOSED_STATUSES:
        raise Conflict("A report that ended without a fix is not published.", field="publish")
    if public_text is not None:
        _edit(report, public_text, user)
    if address is not None and report.address is not None:
        _edit_address(report, address, user)
    if not report.is_public:
        report.is_public = True
        report.published_at = report.published_at or datetime.now(UTC)
        _event(report, EventKind.PUBLISHED, user)
    report.moderation_pending = False
    session.commit()
    return report


def unpublish_report(session: Session, report_id: int, user: StaffUser,
                     reason: str = "") -> Report:
    """Take the report off the public map and pages (its reporter still sees it); commits."""
    report = _report_for_update(session, report_id, user, Action.PUBLISH)
    if report.is_public:
        report.is_public = False
        _event(report, EventKind.UNPUBLISHED, user,
               note=checked_text(reason, "reason", required=False))
    report.moderation_pending = False
    session.commit()
    return report


def _edit(report: Report, text: str, user: StaffUser) -> None:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput("The public text cannot be empty.", field="public_text")
    if len(cleaned) > DESCRIPTION_MAX_LENGTH or "\x00" in cleaned:
        raise InvalidInput(f"At most {DESCRIPTION_MAX_LENGTH} characters, no NUL characters.",
                           field="public_text")
    if cleaned == report.public_text:
        return
    _event(report, EventKind.MODERATED, user, data={"before": report.public_text})
    report.public_description = None if cleaned == report.description else cleaned


def _edit_address(report: Report, address: str, user: StaffUser) -> None:
    """The place in words, as the public reads it: the moderator may take a name or a
    phone number out of it (the one before stays in the history, for staff)."""
    cleaned = (address or "").strip()
    if not cleaned or len(cleaned) > ADDRESS_MAX_LENGTH or "\x00" in cleaned:
        raise InvalidInput(f"The address: 1 to {ADDRESS_MAX_LENGTH} characters, no NUL "
                           "characters.", field="address")
    if cleaned != report.address:
        _event(report, EventKind.MODERATED, user, data={"address_before": report.address})
        report.address = cleaned


def _event(report: Report, kind: EventKind, user: StaffUser, *, note: str | None = None,
           data: dict | None = None) -> None:
    report.events.append(ReportEvent(kind=kind, actor=actor_name(user), staff_user_id=user.id,
                                     is_public=False, note=note, data=data or {}))


def _report_for_update(session: Session, report_id: int, user: StaffUser,
                       action: Action) -> Report:
    report = session.get(Report, report_id, with_for_update={"of": Report})
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    check_may(user, action, report)
    return report

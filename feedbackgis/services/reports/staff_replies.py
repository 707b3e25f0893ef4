"""Staff write on a report: a public reply to the resident, or an internal note.

The two never mix: a reply is a public event (the reporter is emailed, the follow-up and
public pages show it), a note is an internal event that no page or email outside shows.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from feedbackgis.domain.limits import STAFF_TEXT_MAX_LENGTH
from feedbackgis.domain.permissions import Action
from feedbackgis.errors import InvalidInput, NotFound
from feedbackgis.models import EventKind, OutboxTopic, Report, ReportEvent, StaffUser
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.staff.access import actor_name, check_may


def reply_to_resident(session: Session, report_id: int, text: str,
                      user: StaffUser) -> ReportEvent:
    """A public answer: emailed to the reporter and shown on the report's pages; commits."""
    report = _report_for_update(session, report_id)
    check_may(user, Action.REPLY_PUBLICLY, report)
    event = _write(session, report, EventKind.REPLY, checked_text(text, "reply"), user, public=True)
    record_side_effect(session, OutboxTopic.REPORT_REPLIED, report_id=report.id,
                       event_id=event.id)
    session.commit()
    return event


def reply_from_system(session: Session, report: Report, text: str, *, actor: str,
                      data: dict[str, object]) -> ReportEvent:
    """A public answer from a party's own system (no staff account; `actor` names the
    system, never a person): emailed and shown as reply_to_resident's. `report` is locked
    by the caller, who commits."""
    event = ReportEvent(kind=EventKind.REPLY, actor=actor, note=checked_text(text, "description"),
                        is_public=True, data=data)
    report.events.append(event)
    session.flush()
    record_side_effect(session, OutboxTopic.REPORT_REPLIED, report_id=report.id,
                       event_id=event.id)
    return event


def add_internal_note(session: Session, report_id: int, text: str,
                      user: StaffUser) -> ReportEvent:
    """A note for the staff only: no email, no public page; commits."""
    report = _report_for_update(session, report_id)
    check_may(user, Action.ADD_INTERNAL_NOTE, report)
    event = _write(session, report, EventKind.NOTE, checked_text(text, "note"), user, public=False)
    session.commit()
    return event


def checked_text(text: str | None, field: str, *, required: bool = True) -> str | None:
    """What staff wrote, stripped; InvalidInput on `field` when it is empty (if required),
    too long or holds a NUL character (PostgreSQL refuses one). None for an optional empty."""
    cleaned = (text or "").strip()
    if not cleaned:
        if required:
            raise InvalidInput("Write something first.", field=field)
        return None
    if "\x00" in cleaned:
        raise InvalidInput("The text holds a NUL character; remove it.", field=field)
    if len(cleaned) > STAFF_TEXT_MAX_LENGTH:
        raise InvalidInput(f"At most {STAFF_TEXT_MAX_LENGTH} characters.", field=field)
    return cleaned


def _write(session: Session, report: Report, kind: EventKind, text: str, user: StaffUser, *,
           public: bool) -> ReportEvent:
    event = ReportEvent(kind=kind, actor=actor_name(user), staff_user_id=user.id, note=text,
                        is_public=public)
    report.events.append(event)
    session.flush()
    return event


def _report_for_update(session: Session, report_id: int) -> Report:
    # Only the report row is locked (the joined category and party cannot be, in one query).
    report = session.get(Report, report_id, with_for_update={"of": Report})
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    return report

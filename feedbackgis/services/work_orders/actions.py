"""What the holder of a work order does with it: accept, start, mark done, hand back.

Every status change goes through services/reports/status.change_status (the state machine,
the event, the reporter and followers told of public changes); these add what a work order
needs around it. Each action locks the report and checks it is still the holder's and that
its status allows the action (domain/work_orders.py): another party's report is NotFound, an
action the status does not allow a Conflict, bad input InvalidInput naming the field.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.fix_check import DEFAULT_FIX_CHECK_DAYS
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.work_orders import (
    ActionNotAvailable,
    WorkOrderAction,
    check_action,
    is_accepted,
)
from feedbackgis.errors import Conflict, InvalidInput, TooLarge, UnsupportedMedia
from feedbackgis.media import PhotoLimits, PhotoStorage
from feedbackgis.models import EventKind, Photo, PhotoKind, Report, ReportEvent
from feedbackgis.services.photos.uploads import upload_photo
from feedbackgis.services.reports.staff_replies import checked_text
from feedbackgis.services.reports.status import change_status
from feedbackgis.services.work_orders.access import WorkOrderHolder, work_order_for

# After-photos come after the reporter's (positions 0-2) and those added later (3-5).
AFTER_PHOTO_POSITION = 100


def _workable(session: Session, holder: WorkOrderHolder, report_id: int,
              action: WorkOrderAction) -> Report:
    report = work_order_for(session, holder, report_id, for_update=True, to_change=True)
    try:
        check_action(action, report.status, _accepted(report))
    except ActionNotAvailable as exc:
        raise Conflict(str(exc), field="status") from exc
    return report


def _accepted(report: Report) -> bool:
    return is_accepted([str(event.kind) for event in report.events])


def _event(holder: WorkOrderHolder, kind: EventKind, **fields: object) -> ReportEvent:
    return ReportEvent(kind=kind, actor=holder.actor,
                       staff_user_id=holder.user.id if holder.user else None,
                       data={"party_id": holder.party_id,
                             "by": "link" if holder.by_link else "account"}, **fields)


def accept_work_order(session: Session, holder: WorkOrderHolder,
                      report_id: int) -> ReportEvent:
    """The holder takes the work order; commits. Recorded for the city's staff (internal):
    the status stays assigned, since nothing has changed for the resident yet."""
    report = _workable(session, holder, report_id, WorkOrderAction.ACCEPT)
    event = _event(holder, EventKind.ACCEPTED, is_public=False)
    report.events.append(event)
    session.commit()
    return event


def start_work_order(session: Session, holder: WorkOrderHolder, report_id: int) -> ReportEvent:
    """In progress (public: the reporter and followers are told); commits."""
    _workable(session, holder, report_id, WorkOrderAction.START)
    return change_status(session, report_id, ReportStatus.IN_PROGRESS, actor=holder.actor,
                         public=True, staff_user=holder.user)


def mark_work_order_done(session: Session, storage: PhotoStorage, holder: WorkOrderHolder,
                         report_id: int, note: str | None, photo: bytes | None,
                         limits: PhotoLimits, *,
                         fix_check_days: int = DEFAULT_FIX_CHECK_DAYS) -> ReportEvent:
    """Fixed, with the holder's note (public: it is what the reporter reads) and a photo of
    the work, checked and re-encoded (EXIF dropped) like a resident's; commits. Entering
    FIXED asks the reporter "is it fixed?" for `fix_check_days` (config FIX_CHECK_DAYS).

    Everything is checked before the photo is stored; the photo is stored in a transaction
    of its own (upload_photo), so if the report changes in between and refuses it, it stays
    unattached and the nightly pruning removes it.
    """
    text = _checked_done_form(note, photo)
    _workable(session, holder, report_id, WorkOrderAction.DONE)
    session.rollback()  # the lock is not held while the photo is re-encoded
    try:
        uploaded = upload_photo(session, storage, photo, limits, kind=PhotoKind.AFTER)
    except (InvalidInput, TooLarge, UnsupportedMedia) as exc:
        # The form's field, and 422 for each: whatever is wrong, it is this photo.
        raise InvalidInput(exc.message, field="photo") from None
    report = _workable(session, holder, report_id, WorkOrderAction.DONE)
    after = session.scalar(select(func.count()).select_from(Photo).where(
        Photo.report_id == report.id, Photo.kind == PhotoKind.AFTER)) or 0
    stored = session.get(Photo, uploaded.photo_id)
    stored.report_id, stored.position = report.id, AFTER_PHOTO_POSITION + after
    session.flush()
    return change_status(session, report.id, ReportStatus.FIXED, actor=holder.actor,
                         note=text, public=True, staff_user=holder.user,
                         fix_check_days=fix_check_days)


def _checked_done_form(note: str | None, photo: bytes | None) -> str:
    """The note, stripped; InvalidInput naming every field of the form that is wrong."""
    problems: dict[str, list[str]] = {}
    try:
        text = checked_text(note, "note")
    except InvalidInput as exc:
        problems["note"] = [exc.message]
    if not photo:
        problems["photo"] = ["Add a photo of the work done."]
    if problems:
        raise InvalidInput("The work order cannot be marked done yet.", fields=problems)
    return text


def hand_back_work_order(session: Session, holder: WorkOrderHolder, report_id: int,
                         reason: str | None) -> ReportEvent:
    """Give the work order back to the city: to triage, without a party, person or due
    date (as change_status to triage leaves it), the reason for the city's staff only;
    commits. The link ends with the party."""
    text = checked_text(reason, "reason")
    report = _workable(session, holder, report_id, WorkOrderAction.HAND_BACK)
    report.events.append(_event(holder, EventKind.HANDED_BACK, note=text, is_public=False))
    session.flush()
    return change_status(session, report.id, ReportStatus.TRIAGE, actor=holder.actor,
                         public=False, staff_user=holder.user)

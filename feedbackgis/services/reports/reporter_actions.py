"""What the reporter may do through the follow-up link: add information or a photo, withdraw.

The token is the only credential (a capability), so each action is found by its hash and
locked. Information the reporter adds is for the staff handling the report: it shows on the
reporter's own page and in the staff view, never on the public page. Withdrawing closes an
open report and takes it off the public map.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.limits import DESCRIPTION_MAX_LENGTH, REPORT_PHOTOS_MAX
from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus, check_transition
from feedbackgis.domain.tokens import hash_token
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.media.storage import PhotoStorage
from feedbackgis.models import EventKind, OutboxTopic, Photo, PhotoKind, Report, ReportEvent
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.photos import PhotoLimits
from feedbackgis.services.photos.uploads import upload_photo
from feedbackgis.services.work_orders.links import end_work_order_link

REPORTER = "reporter"
FOLLOW_UP_PHOTOS_MAX = 3
FORM_KEY_MAX_LENGTH = 64


def _report_for_update(session: Session, token: str) -> Report:
    report = session.scalar(
        select(Report).where(Report.follow_up_token_hash == hash_token(token))
        .with_for_update(of=Report)
    )
    if report is None:
        raise NotFound("This follow-up link is not valid.")
    return report


def _commit_event(session: Session, report: Report, event: ReportEvent,
                  topic: OutboxTopic) -> ReportEvent:
    """Add the reporter's event with its side effect (for the handlers); commit."""
    report.events.append(event)
    session.flush()
    record_side_effect(session, topic, report_id=report.id, event_id=event.id)
    session.commit()
    return event


def _sent_before(session: Session, report: Report, form_key: str | None) -> ReportEvent | None:
    """The event an earlier sending of the same form made (a phone that resends it)."""
    if not form_key:
        return None
    return session.scalar(select(ReportEvent).where(
        ReportEvent.report_id == report.id, ReportEvent.data["form_key"].astext == form_key))


def checked_form_key(value: str | None) -> str | None:
    """The form's own key (a random token the page put in it), or None for one that is not."""
    if value and len(value) <= FORM_KEY_MAX_LENGTH and value.isascii() and all(
            ch.isalnum() or ch in "-_" for ch in value):
        return value
    return None


def add_information(session: Session, token: str, text: str, *,
                    form_key: str | None = None) -> ReportEvent:
    """Add the reporter's text to the report (for staff); commit. The same form sent again
    (its form_key) adds nothing the second time."""
    text = checked_information(text)
    report = _report_for_update(session, token)
    earlier = _sent_before(session, report, form_key)
    if earlier is not None:
        session.rollback()
        return earlier
    event = ReportEvent(kind=EventKind.COMMENT, actor=REPORTER, note=text, is_public=False,
                        data=_data(form_key))
    return _commit_event(session, report, event, OutboxTopic.REPORT_INFORMATION_ADDED)


def checked_information(text: str | None, field: str = "information") -> str:
    """What the reporter adds, stripped; InvalidInput on `field` when empty, too long or
    holding a NUL character."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write what you want to add.", field=field)
    if len(text) > DESCRIPTION_MAX_LENGTH:
        raise InvalidInput(f"At most {DESCRIPTION_MAX_LENGTH} characters.", field=field)
    if "\x00" in text:
        raise InvalidInput("Must not contain the NUL character (U+0000).", field=field)
    return text


def add_information_from_system(session: Session, report: Report, text: str,
                                **data: object) -> ReportEvent:
    """The reporter's information sent through the client system that sent the report
    (Open311 servicerequestupdates), as if through the follow-up link; `report` is locked
    by the caller, who commits. `data` says which system sent it."""
    event = ReportEvent(kind=EventKind.COMMENT, actor=REPORTER, is_public=False,
                        note=checked_information(text, "description"),
                        data=_data(None, **data))
    report.events.append(event)
    session.flush()
    record_side_effect(session, OutboxTopic.REPORT_INFORMATION_ADDED, report_id=report.id,
                       event_id=event.id)
    return event


def _data(form_key: str | None, **more: object) -> dict[str, object]:
    return {"by": REPORTER, **more, **({"form_key": form_key} if form_key else {})}


def add_photo(session: Session, storage: PhotoStorage, token: str, data: bytes,
              limits: PhotoLimits, *, form_key: str | None = None) -> Photo:
    """Store a photo the reporter sends later (checked and re-encoded as any other) and
    attach it to the open report; commit. At most FOLLOW_UP_PHOTOS_MAX such photos.

    The photo is stored first, in a transaction of its own (upload_photo); if the report
    then refuses it, it stays unattached and the nightly pruning removes it.
    """
    earlier = _sent_before(session, _report_for_update(session, token), form_key)
    session.rollback()  # an unknown link stores nothing; a resent form, nothing again
    if earlier is not None and "photo_id" in earlier.data:
        return session.get(Photo, earlier.data["photo_id"])
    uploaded = upload_photo(session, storage, data, limits, kind=PhotoKind.FOLLOW_UP)
    report = _report_for_update(session, token)
    if report.status not in OPEN_STATUSES:
        raise Conflict("The report is already closed.", field="photo")
    later = session.scalar(select(func.count()).select_from(Photo).where(
        Photo.report_id == report.id, Photo.kind == PhotoKind.FOLLOW_UP)) or 0
    if later >= FOLLOW_UP_PHOTOS_MAX:
        raise InvalidInput(f"At most {FOLLOW_UP_PHOTOS_MAX} photos can be added later.",
                           field="photo")
    photo = session.get(Photo, uploaded.photo_id)
    photo.report_id, photo.position = report.id, REPORT_PHOTOS_MAX + later
    event = ReportEvent(kind=EventKind.COMMENT, actor=REPORTER, is_public=False,
                        data=_data(form_key, photo_id=photo.id))
    _commit_event(session, report, event, OutboxTopic.REPORT_INFORMATION_ADDED)
    return photo


def withdraw_report(session: Session, token: str) -> ReportEvent:
    """Close an open report at its reporter's wish and take it off the public map; commit."""
    report = _report_for_update(session, token)
    if report.status not in OPEN_STATUSES:
        raise Conflict("The report is already closed.", field="status")
    check_transition(report.status, ReportStatus.WITHDRAWN)
    event = ReportEvent(kind=EventKind.STATUS_CHANGED, actor=REPORTER,
                        from_status=report.status, to_status=ReportStatus.WITHDRAWN,
                        is_public=False, data={"withdrawn": True})
    report.status = ReportStatus.WITHDRAWN
    report.is_public = report.moderation_pending = False
    end_work_order_link(report)
    return _commit_event(session, report, event, OutboxTopic.REPORT_WITHDRAWN)

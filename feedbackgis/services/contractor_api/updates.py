"""What a contractor system changes on its party's work orders: the status, a note, a photo.

Each finds the report through party_report (another party's is NotFound) with its row
locked, so a reassignment that commits meanwhile is seen. The status goes through the
report's state machine (services/reports/status.change_status): a public change, told to
the reporter and the followers as any other. Notes are internal: the city's staff read them
on the report's page, the public never. After-photos go through the residents' photo
pipeline (checked, re-encoded, EXIF removed) and are the report's photos from then on.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.fix_check import DEFAULT_FIX_CHECK_DAYS
from feedbackgis.domain.limits import REPORT_PHOTOS_MAX
from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.domain.work_orders import WORKABLE
from feedbackgis.errors import Conflict, InvalidInput
from feedbackgis.media import PhotoLimits, PhotoStorage
from feedbackgis.models import EventKind, Photo, PhotoKind, Report, ReportEvent
from feedbackgis.services.contractor_api.tokens import ApiClient
from feedbackgis.services.contractor_api.work_orders import BY_API, party_report
from feedbackgis.services.photos.uploads import upload_photo
from feedbackgis.services.reports.idempotency import IdempotencyKey, claim_key, record_outcome
from feedbackgis.services.reports.reporter_actions import FOLLOW_UP_PHOTOS_MAX
from feedbackgis.services.reports.staff_replies import checked_text
from feedbackgis.services.reports.status import change_status

# What a contractor reports of its work; the rest are the city's to decide.
CONTRACTOR_STATUSES = (ReportStatus.IN_PROGRESS, ReportStatus.WAITING, ReportStatus.FIXED)
AFTER_PHOTOS_MAX = 5
# After-photos follow the reporter's photos and those the reporter added later.
AFTER_PHOTOS_FROM_POSITION = REPORT_PHOTOS_MAX + FOLLOW_UP_PHOTOS_MAX
# Notes and photos are taken while the work goes on, and when it is just done.
WORKING_STATUSES = OPEN_STATUSES | {ReportStatus.FIXED}


def _data(client: ApiClient, **more: Any) -> dict[str, Any]:
    return {"by": BY_API, "party_id": client.party_id, "api_token_id": client.token_id, **more}


def checked_contractor_status(value: str) -> ReportStatus:
    if value not in CONTRACTOR_STATUSES:
        raise InvalidInput(f"Must be one of {', '.join(CONTRACTOR_STATUSES)}; the city sets "
                           "the others.", field="status")
    return ReportStatus(value)


def set_status(session: Session, client: ApiClient, report_id: int, status: str, *,
               note: str | None = None, idempotency: IdempotencyKey | None = None,
               time_zone: str = DEFAULT_TIME_ZONE,
               fix_check_days: int = DEFAULT_FIX_CHECK_DAYS) -> bool:
    """Move the work order to `status` (one of CONTRACTOR_STATUSES), with an optional
    internal `note`; commits. InvalidInput for another status, Conflict for a change the
    state machine refuses from the current status. Returns False when `idempotency` names
    an earlier request that did it (nothing changes again). `time_zone` and
    `fix_check_days` are the settings change_status takes (TIMEZONE, FIX_CHECK_DAYS)."""
    target = checked_contractor_status(status)
    note = checked_text(note, "note", required=False)
    report = party_report(session, client.party_id, report_id, for_update=True)
    if report.status not in WORKABLE:
        # A fixed work order is the residents' to reopen (or the city's), not the party's:
        # else a late party could reset its due date and end the "is it fixed?" question.
        raise Conflict(f"The work order is {report.status}: a contractor no longer changes it.",
                       field="status")
    if idempotency is not None:
        if claim_key(session, idempotency, datetime.now(UTC)) is not None:
            session.rollback()
            return False
        record_outcome(session, idempotency, report_id, {"status": target.value})
    if note is not None:
        session.add(ReportEvent(report_id=report_id, kind=EventKind.NOTE, actor=client.name,
                                note=note, is_public=False, data=_data(client)))
    # Commits the change, its note and the claimed key together.
    change_status(session, report_id, target, actor=client.name, public=True,
                  time_zone=time_zone, fix_check_days=fix_check_days)
    return True


def add_note(session: Session, client: ApiClient, report_id: int, text: str, *,
             idempotency: IdempotencyKey | None = None) -> ReportEvent:
    """An internal note of the party on its work order (the city's staff read it, the
    public never); commits. With `idempotency` that an earlier request holds, that
    request's note, added once."""
    text = checked_text(text, "note")
    report = party_report(session, client.party_id, report_id, for_update=True)
    if idempotency is not None:
        earlier = claim_key(session, idempotency, datetime.now(UTC))
        if earlier is not None:
            session.rollback()
            return _earlier_note(session, earlier.response)
    event = ReportEvent(kind=EventKind.NOTE, actor=client.name, note=text, is_public=False,
                        data=_data(client))
    report.events.append(event)
    session.flush()
    if idempotency is not None:
        record_outcome(session, idempotency, report_id, {"event_id": event.id})
    session.commit()
    return event


def _earlier_note(session: Session, response: dict[str, Any]) -> ReportEvent:
    event = session.get(ReportEvent, response.get("event_id") or 0)
    if event is None:
        raise Conflict("The note this Idempotency-Key added no longer exists.", field="note")
    return event


def add_after_photo(session: Session, storage: PhotoStorage, client: ApiClient,
                    report_id: int, data: bytes, limits: PhotoLimits) -> Photo:
    """A photo of the work done, checked and re-encoded as a resident's, attached to the
    work order; commits. The photo is stored first, in a transaction of its own; one the
    work order then refuses stays unattached, and the nightly pruning removes it."""
    check_takes_photos(session, client, report_id)
    uploaded = upload_photo(session, storage, data, limits, kind=PhotoKind.AFTER)
    report = party_report(session, client.party_id, report_id, for_update=True)
    _check_takes_photos(report)
    earlier = session.scalar(select(func.count()).select_from(Photo).where(
        Photo.report_id == report.id, Photo.kind == PhotoKind.AFTER)) or 0
    if earlier >= AFTER_PHOTOS_MAX:
        raise Conflict(f"A work order takes at most {AFTER_PHOTOS_MAX} after-photos.",
                       field="file")
    photo = session.get(Photo, uploaded.photo_id)
    photo.report_id, photo.position = report.id, AFTER_PHOTOS_FROM_POSITION + earlier
    report.events.append(ReportEvent(kind=EventKind.NOTE, actor=client.name, is_public=False,
                                     data=_data(client, photo_id=photo.id)))
    session.commit()
    return photo


def check_takes_photos(session: Session, client: ApiClient, report_id: int) -> None:
    """NotFound or Conflict now, before a photo is read, when the work order takes none."""
    _check_takes_photos(party_report(session, client.party_id, report_id))
    session.rollback()  # no lock or transaction held while the photo is read and decoded


def _check_takes_photos(report: Report) -> None:
    if report.status not in WORKING_STATUSES:
        raise Conflict(f"The work order is {report.status}: it takes no more photos.",
                       field="file")

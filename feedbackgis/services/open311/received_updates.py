"""Updates that other systems send to our requests: mySociety's `POST servicerequestupdates`,
and the updates the Open311 puller fetches from a party's own system.

Who may do what:
- A sender with a party (a key of the party's system, or the party whose system the update
  was pulled from) works the requests assigned to that party as its staff would: the status
  word (domain/open311_statuses.py) changes the status through the state machine
  (services/reports/status.change_status), the description is the public answer to the
  resident (with a status change, its note; without, a public reply). The reporter, the
  followers and the party's webhook are told as for a person. It sets only PARTY_STATUSES,
  and only while the request is a work order (domain/work_orders.WORKABLE): a fixed or
  ended request is the city's and its residents' from then on.
- A key without a party (a client app) adds to the requests it sent itself: the
  description becomes the reporter's added information (for the staff, never public), as
  through the follow-up link; its status word is ignored, since a reporter's app does not
  decide the status (so an update with only a status changes nothing, and is no error).
- Anything else is refused: Forbidden for a public request (that it exists is public
  anyway), NotFound for one that is not public, the same answer as for no request, so that
  ids tell nothing.

Each update applies once per sender and update_id (Open311UpdateReceived). The sender is
the party when there is one (a key of the party's system, or its system pulled): a system
that both pushes with its key and is pulled sends the same update both ways, and it applies
once. A key without a party is a sender of its own. A repeat changes nothing and gets the
same answer: our event's id, or, for an update that made no event (the status the request
had already, no text), "r" and the id of the update's record, so that the sender has an id
to keep and does not send it again (FixMyStreet resends an update answered without one).

The strings are checked or cleaned where they enter (services/open311/update_input.py); a
datetime without an offset is the municipality's local time. The sender's contact fields
(email, names, phone) are never stored: in a party's system they are its staff, and nothing
here shows them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackgis.domain.fix_check import DEFAULT_FIX_CHECK_DAYS
from feedbackgis.domain.open311_statuses import UnknownStatusWord, status_of, word_of
from feedbackgis.domain.statuses import (
    FIXED_STATUSES,
    ReportStatus,
    TransitionNotAllowed,
    check_transition,
)
from feedbackgis.domain.work_orders import WORKABLE
from feedbackgis.errors import Conflict, Forbidden, InvalidInput, NotFound
from feedbackgis.models import (
    ApiKey,
    Open311Submission,
    Open311UpdateReceived,
    Party,
    Report,
    ReportEvent,
)
from feedbackgis.services.open311.update_input import (
    MEDIA_URL_MAX_LENGTH,
    UPDATE_ID_MAX_LENGTH,
    cleaned_update,
)
from feedbackgis.services.reports.reporter_actions import (
    add_information_from_system,
    checked_information,
)
from feedbackgis.services.reports.staff_replies import checked_text, reply_from_system
from feedbackgis.services.reports.status import OWN_ACTION, change_status

__all__ = ["MEDIA_URL_MAX_LENGTH", "UPDATE_ID_MAX_LENGTH", "AppliedUpdate", "ReceivedUpdate",
           "UpdateSender", "apply_received_update"]

BY_OPEN311 = "open311"  # ReportEvent.data["by"] (or "via", for a reporter's) of an update
# What a party's system sets; the rest come with an action of their own (merging, a
# reporter's withdrawal, assignment) or are the city's (closing a checked fix).
PARTY_STATUSES = frozenset({ReportStatus.IN_PROGRESS, ReportStatus.WAITING,
                            ReportStatus.FIXED, ReportStatus.NOT_OURS,
                            ReportStatus.REJECTED, ReportStatus.TRIAGE})


@dataclass(frozen=True)
class UpdateSender:
    api_key_id: int | None  # the key that posted it, or
    party_id: int | None  # the party whose system it was pulled from / the key's party

    def __post_init__(self) -> None:
        if self.api_key_id is None and self.party_id is None:
            raise ValueError("An update is sent with a key or pulled from a party's system.")

    @property
    def may_work_reports(self) -> bool:
        return self.party_id is not None


@dataclass(frozen=True)
class ReceivedUpdate:
    update_id: str
    status: str | None  # the mySociety word as sent
    description: str | None
    updated_at: datetime | None  # without an offset: the municipality's local time
    media_url: str | None = None


@dataclass(frozen=True)
class AppliedUpdate:
    received_id: int  # the update's Open311UpdateReceived
    event_id: int | None  # the event it made; None when it changed nothing

    @property
    def update_id(self) -> str:
        """Our id of the update as answered to its sender: never empty, the same on a
        repeat ("r" marks a record's id, never an event's, which GET lists)."""
        return str(self.event_id) if self.event_id is not None else f"r{self.received_id}"


def apply_received_update(session: Session, sender: UpdateSender, report_id: int,
                          update: ReceivedUpdate, *, time_zone: str,
                          fix_check_days: int = DEFAULT_FIX_CHECK_DAYS) -> AppliedUpdate:
    """Apply once per (sender, update_id) (Open311UpdateReceived); return what it made (the
    same again for a repeat). Commits, the change and its record in one transaction.

    NotFound / Forbidden as the module says; InvalidInput (naming the field) for a status
    the sender may not set now, or text that cannot be taken; nothing is stored then."""
    update = cleaned_update(update, time_zone)
    update_id = update.update_id
    earlier = _earlier(session, sender, update_id)
    if earlier is not None:
        return _repeat(session, earlier, report_id)
    report = session.get(Report, report_id, with_for_update={"of": Report},
                         populate_existing=True)
    as_party = _works_as_party(session, sender, report, report_id)
    target, text = _what_it_says(report, update, as_party=as_party)
    received = Open311UpdateReceived(update_id=update_id, report_id=report.id,
                                     **_sender_columns(sender))
    session.add(received)
    try:
        session.flush()
    except IntegrityError:  # the same update at the same moment, through another request
        session.rollback()
        return _repeat(session, _earlier(session, sender, update_id), report_id)
    data = _event_data(sender, update_id, update)
    if as_party:
        event = _apply_as_party(session, sender, report, target, text, data,
                                time_zone=time_zone, fix_check_days=fix_check_days)
    elif text is not None:
        # The reporter's own words: the event stays the reporter's ("by"), sent via us.
        event = add_information_from_system(session, report, text, via=BY_OPEN311, **data)
    else:
        event = None
    received.event_id = event.id if event is not None else None
    session.commit()
    return AppliedUpdate(received.id, received.event_id)


def _what_it_says(report: Report, update: ReceivedUpdate, *,
                  as_party: bool) -> tuple[ReportStatus | None, str | None]:
    """The status it moves the report to and its text, each None for none."""
    if as_party:
        return (_party_target(report, update.status),
                checked_text(update.description, "description", required=False))
    if not (update.description or "").strip():
        return None, None  # a client app's status only: not the app's to set
    return None, checked_information(update.description, "description")


def _apply_as_party(session: Session, sender: UpdateSender, report: Report,
                    target: ReportStatus | None, text: str | None, data: dict[str, Any], *,
                    time_zone: str, fix_check_days: int) -> ReportEvent | None:
    data = {"by": BY_OPEN311, **data}
    actor = _actor(session, sender)
    if target is not None:
        # Not committed here: the caller commits the change with its data and the record
        # of the update (its event id) at once.
        event = change_status(session, report.id, target, actor=actor, note=text, public=True,
                              time_zone=time_zone, fix_check_days=fix_check_days, commit=False)
        event.data = {**event.data, **data}
        return event
    if text is not None:
        return reply_from_system(session, report, text, actor=actor, data=data)
    return None


def _sender_columns(sender: UpdateSender) -> dict[str, int | None]:
    # The party's system numbers its updates once, whether it pushes them with its key or
    # is pulled: with a party, the party is the sender (uq_open311_update_received_party),
    # the key only who sent it; a key without a party is its own (..._api_key).
    return {"api_key_id": sender.api_key_id, "party_id": sender.party_id}


def _earlier(session: Session, sender: UpdateSender,
             update_id: str) -> Open311UpdateReceived | None:
    same_sender = (Open311UpdateReceived.party_id == sender.party_id
                   if sender.party_id is not None
                   else (Open311UpdateReceived.api_key_id == sender.api_key_id)
                   & Open311UpdateReceived.party_id.is_(None))
    return session.scalar(select(Open311UpdateReceived).where(
        same_sender, Open311UpdateReceived.update_id == update_id))


def _repeat(session: Session, earlier: Open311UpdateReceived | None,
            report_id: int) -> AppliedUpdate:
    if earlier is None:  # the racing first one was undone after all: this one may come again
        session.rollback()
        raise Conflict("The same update is being applied at this moment; send it again.",
                       field="update_id")
    applied = AppliedUpdate(earlier.id, earlier.event_id)
    sent_for, update_id = earlier.report_id, earlier.update_id
    session.commit()  # ends the read; nothing was written
    if sent_for != report_id:
        raise Conflict(f"The update_id {update_id} was sent for another request already.",
                       field="update_id")
    return applied


def _works_as_party(session: Session, sender: UpdateSender, report: Report | None,
                    report_id: int) -> bool:
    """True when the sender works the report as its party, False when it may add to it as
    its submitter; NotFound or Forbidden when neither."""
    if report is None:
        raise NotFound(f"No service request with id {report_id}.", field="service_request_id")
    if sender.may_work_reports and report.assigned_party_id == sender.party_id:
        return True
    if sender.api_key_id is not None and session.scalar(select(Open311Submission.report_id).where(
            Open311Submission.report_id == report.id,
            Open311Submission.api_key_id == sender.api_key_id)) is not None:
        return False
    if not report.is_public:
        raise NotFound(f"No service request with id {report_id}.", field="service_request_id")
    raise Forbidden("This sender may not update this request: it is not assigned to the "
                    "sender's party, nor was it sent with this api_key.",
                    field="service_request_id")


def _party_target(report: Report, word: str | None) -> ReportStatus | None:
    """The status the party's word moves the report to; None when it stays as it is."""
    if word is None or not word.strip():
        return None
    try:
        target = status_of(word)
    except UnknownStatusWord as exc:
        raise InvalidInput(str(exc), field="status") from None
    if target is None or target is report.status or (
            target in FIXED_STATUSES and report.status in FIXED_STATUSES):
        return None  # already there (a system sends its status with every update)
    spoken = f"{word_of(target)} ({target})"
    if target not in PARTY_STATUSES:
        raise InvalidInput(OWN_ACTION.get(target, f"A party's system does not set {spoken}."),
                           field="status")
    if report.status not in WORKABLE:
        raise InvalidInput(f"The request is {word_of(report.status)} ({report.status}): its "
                           f"party no longer changes its status, so not to {spoken}.",
                           field="status")
    try:
        check_transition(report.status, target)
    except TransitionNotAllowed:
        raise InvalidInput(f"A request that is {report.status} cannot move to {spoken}.",
                           field="status") from None
    return target


def _actor(session: Session, sender: UpdateSender) -> str:
    """How the history names the sender: its system (the key's name), never a person."""
    if sender.api_key_id is not None:
        return session.get(ApiKey, sender.api_key_id).name
    return f"{session.get(Party, sender.party_id).name} (Open311)"


def _event_data(sender: UpdateSender, update_id: str, update: ReceivedUpdate) -> dict[str, Any]:
    data: dict[str, Any] = {"update_id": update_id,
                            **{k: v for k, v in _sender_columns(sender).items() if v}}
    if update.updated_at is not None:
        data["updated_datetime"] = update.updated_at.isoformat()
    if update.media_url:
        # Kept as a link only (an http(s) one, update_input.py): nothing fetches it, nothing
        # public shows it.
        data["media_url"] = update.media_url
    return data

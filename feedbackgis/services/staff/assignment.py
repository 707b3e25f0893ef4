"""assign_person: give reports to a person of their party (or to nobody), one check each.

The inbox's bulk form and a report's own page both call it. Each report is checked on its
own (check_may ASSIGN_PERSON, the person belongs to the report's party, the report is still
open); the ones that pass change in one transaction, the others are returned with the
reason, as data. Each change is a PERSON_ASSIGNED event and, unless the person assigned
themselves, an outbox row whose job emails the person a link to the report.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Action
from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.errors import Forbidden, InvalidInput, NotFound
from feedbackgis.models import EventKind, OutboxTopic, Report, ReportEvent, StaffUser
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.staff.access import actor_name, check_may


class Refusal(enum.StrEnum):
    """Why one report of a bulk action did not change (the page words each)."""

    NOT_FOUND = "not_found"  # no such report, or not one the user may see
    FORBIDDEN = "forbidden"  # the user's role may not do this to it
    NOT_OF_PARTY = "not_of_party"  # the person is not of the report's party
    NOT_OPEN = "not_open"  # dealt with already: nobody works on it any more
    UNCHANGED = "unchanged"  # it was so already
    TRANSITION = "transition"  # the state machine does not allow it from its status
    STATUS_OWN_ACTION = "status_own_action"  # a status staff do not set on the form


@dataclass
class BulkResult:
    """What a bulk action did: the reports changed, and why each other one did not."""

    changed: list[int] = field(default_factory=list)
    refused: dict[int, Refusal] = field(default_factory=dict)


def assignable_person(session: Session, user_id: int) -> StaffUser:
    """The person reports may be given to: an active staff user of a party."""
    person = session.get(StaffUser, user_id)
    if person is None or not person.active or person.party_id is None:
        raise InvalidInput(f"No active staff user {user_id} of a party to assign.",
                           field="person")
    return person


def assign_person(session: Session, report_ids: Iterable[int], user_id: int | None, *,
                  by: StaffUser) -> BulkResult:
    """Assign the reports to the staff user `user_id` (None: to nobody) and commit."""
    person = assignable_person(session, user_id) if user_id is not None else None
    ids = sorted(set(report_ids))
    # Locked in id order, as every bulk change locks them: two at once cannot deadlock.
    reports = {report.id: report for report in session.scalars(
        select(Report).where(Report.id.in_(ids)).order_by(Report.id)
        .with_for_update(of=Report))}
    result = BulkResult()
    for report_id in ids:
        refusal = _refusal(reports.get(report_id), person, by)
        if refusal is not None:
            result.refused[report_id] = refusal
            continue
        _assign(session, reports[report_id], person, by)
        result.changed.append(report_id)
    session.commit()
    return result


def _refusal(report: Report | None, person: StaffUser | None,
             by: StaffUser) -> Refusal | None:
    if report is None:
        return Refusal.NOT_FOUND
    try:
        check_may(by, Action.ASSIGN_PERSON, report)
    except NotFound:
        return Refusal.NOT_FOUND
    except Forbidden:
        return Refusal.FORBIDDEN
    if report.status not in OPEN_STATUSES:
        return Refusal.NOT_OPEN
    if person is not None and person.party_id != report.assigned_party_id:
        return Refusal.NOT_OF_PARTY
    if report.assigned_user_id == (person.id if person else None):
        return Refusal.UNCHANGED
    return None


def _assign(session: Session, report: Report, person: StaffUser | None,
            by: StaffUser) -> None:
    # Added by id, not through report.events: that would load each report's history.
    event = ReportEvent(report_id=report.id, kind=EventKind.PERSON_ASSIGNED,
                        actor=actor_name(by), staff_user_id=by.id, is_public=False,
                        data={"user_id": person.id if person else None,
                              "previous_user_id": report.assigned_user_id})
    report.assigned_user_id = person.id if person else None
    session.add(event)
    session.flush()
    if person is not None and person.id != by.id:
        record_side_effect(session, OutboxTopic.REPORT_PERSON_ASSIGNED, report_id=report.id,
                           user_id=person.id, event_id=event.id)

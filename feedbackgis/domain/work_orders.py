"""Work orders: what the contractor holding one may do with it, and what it sees of it.

Pure rules over statuses and event kinds (their codes), unit-tested without a database.

A contractor accepts the work order (it is recorded, and the status stays assigned: nothing
changed in the street yet, so the resident is not told), starts it (in progress), marks it
done (fixed, with a note and a photo of the work) or hands it back to the city (triage, with
a reason for the city's staff). Only an open report held by a party is a work order.
"""
from __future__ import annotations

import enum
from collections.abc import Sequence

from feedbackgis.domain.statuses import ReportStatus


class WorkOrderAction(enum.StrEnum):
    ACCEPT = "accept"
    START = "start"
    DONE = "done"
    HAND_BACK = "hand-back"


# The statuses a party works in; the others are not, or no longer, its work order.
WORKABLE = frozenset({ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS, ReportStatus.WAITING})
_STARTABLE = frozenset({ReportStatus.ASSIGNED, ReportStatus.WAITING})

# Event kinds (codes of models.report.EventKind) that give a report to a party afresh: an
# acceptance before the latest of them was someone else's, or an earlier round's.
_GIVING = frozenset({"assigned", "triaged", "reopened"})
_ACCEPTED = "accepted"
# What a contractor reads of the history besides public events: the reporter's own
# additions (the party handling the report is told of them anyway) and acceptances. Never
# the city's internal notes, reasons of routing or parties passed over.
_SEEN_BY_PARTY = frozenset({"comment", _ACCEPTED})


class ActionNotAvailable(ValueError):
    def __init__(self, action: WorkOrderAction, status: ReportStatus) -> None:
        super().__init__(f"A work order in status '{status}' cannot be given '{action}'.")
        self.action = action
        self.status = status


def is_accepted(event_kinds: Sequence[str]) -> bool:
    """Whether the report's latest assignment was accepted (`event_kinds` oldest first)."""
    for kind in reversed(event_kinds):
        if kind == _ACCEPTED:
            return True
        if kind in _GIVING:
            return False
    return False


def available_actions(status: ReportStatus, accepted: bool) -> list[WorkOrderAction]:
    """The actions the work order page offers, in the order a job goes."""
    if status not in WORKABLE:
        return []
    actions = []
    if status is ReportStatus.ASSIGNED and not accepted:
        actions.append(WorkOrderAction.ACCEPT)
    if status in _STARTABLE:
        actions.append(WorkOrderAction.START)
    return [*actions, WorkOrderAction.DONE, WorkOrderAction.HAND_BACK]


def check_action(action: WorkOrderAction, status: ReportStatus, accepted: bool) -> None:
    if action not in available_actions(status, accepted):
        raise ActionNotAvailable(action, status)


def seen_by_party(kind: str, is_public: bool) -> bool:
    """Whether the contractor holding the work order sees an event of its history."""
    return is_public or kind in _SEEN_BY_PARTY

"""Report statuses and the transitions allowed between them."""
from __future__ import annotations

import enum


class ReportStatus(enum.StrEnum):
    RECEIVED = "received"  # stored, not yet routed
    TRIAGE = "triage"  # no zone and no default party: an admin must assign it
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


# Not yet dealt with: what the public map calls open, and what a reporter may withdraw.
OPEN_STATUSES = frozenset({ReportStatus.RECEIVED, ReportStatus.TRIAGE, ReportStatus.ASSIGNED,
                           ReportStatus.IN_PROGRESS})

ALLOWED_TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.RECEIVED: frozenset({ReportStatus.ASSIGNED, ReportStatus.TRIAGE}),
    ReportStatus.TRIAGE: frozenset({ReportStatus.ASSIGNED, ReportStatus.REJECTED}),
    ReportStatus.ASSIGNED: frozenset(
        {ReportStatus.ASSIGNED, ReportStatus.TRIAGE, ReportStatus.IN_PROGRESS,
         ReportStatus.RESOLVED, ReportStatus.REJECTED}
    ),
    ReportStatus.IN_PROGRESS: frozenset(
        {ReportStatus.ASSIGNED, ReportStatus.RESOLVED, ReportStatus.REJECTED}
    ),
    ReportStatus.RESOLVED: frozenset({ReportStatus.CLOSED, ReportStatus.IN_PROGRESS}),
    ReportStatus.CLOSED: frozenset(),
    ReportStatus.REJECTED: frozenset({ReportStatus.TRIAGE}),
}


class TransitionNotAllowed(ValueError):
    def __init__(self, current: ReportStatus, target: ReportStatus) -> None:
        super().__init__(f"A report in status '{current}' cannot move to '{target}'")
        self.current = current
        self.target = target


def check_transition(current: ReportStatus, target: ReportStatus) -> None:
    if target not in ALLOWED_TRANSITIONS[current]:
        raise TransitionNotAllowed(current, target)

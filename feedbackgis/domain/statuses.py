"""Report statuses: what each means (open, fixed or closed), and the transitions allowed.

Every change of status passes `check_transition`. Some statuses are entered only through
an action that does more than set the status: assignment (a party), merging (the original),
the reporter's withdrawal. Staff pick the others from the status form (STAFF_CHOSEN).
"""
from __future__ import annotations

import enum


class ReportStatus(enum.StrEnum):
    RECEIVED = "received"  # stored, not yet routed
    TRIAGE = "triage"  # without a point or a party: staff must pin, categorise or assign it
    ASSIGNED = "assigned"  # a party is responsible
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # for another party, a permit or the season
    FIXED = "fixed"
    CLOSED = "closed"  # fixed and checked: the end of a fixed report
    NOT_OURS = "not_ours"  # not the municipality's to fix (a private yard, the state's road)
    DUPLICATE = "duplicate"  # merged into another report
    REJECTED = "rejected"  # not a report to act on (spam, abuse, no problem)
    WITHDRAWN = "withdrawn"  # by its reporter


class Outcome(enum.StrEnum):
    OPEN = "open"  # still to be dealt with
    FIXED = "fixed"  # the problem was fixed
    CLOSED = "closed"  # ended without a fix


OUTCOMES: dict[ReportStatus, Outcome] = {
    ReportStatus.RECEIVED: Outcome.OPEN,
    ReportStatus.TRIAGE: Outcome.OPEN,
    ReportStatus.ASSIGNED: Outcome.OPEN,
    ReportStatus.IN_PROGRESS: Outcome.OPEN,
    ReportStatus.WAITING: Outcome.OPEN,
    ReportStatus.FIXED: Outcome.FIXED,
    ReportStatus.CLOSED: Outcome.FIXED,
    ReportStatus.NOT_OURS: Outcome.CLOSED,
    ReportStatus.DUPLICATE: Outcome.CLOSED,
    ReportStatus.REJECTED: Outcome.CLOSED,
    ReportStatus.WITHDRAWN: Outcome.CLOSED,
}


def statuses_with(outcome: Outcome) -> frozenset[ReportStatus]:
    return frozenset(status for status, its in OUTCOMES.items() if its is outcome)


# Not yet dealt with: what the public map calls open, what the inbox works on, what a
# reporter may withdraw and what may be overdue.
OPEN_STATUSES = statuses_with(Outcome.OPEN)
FIXED_STATUSES = statuses_with(Outcome.FIXED)
# Ended without a fix: off the public map (a duplicate's page points to its original).
CLOSED_STATUSES = statuses_with(Outcome.CLOSED)

_WORKING = frozenset({ReportStatus.IN_PROGRESS, ReportStatus.WAITING, ReportStatus.FIXED,
                      ReportStatus.NOT_OURS, ReportStatus.DUPLICATE, ReportStatus.REJECTED,
                      ReportStatus.WITHDRAWN, ReportStatus.TRIAGE, ReportStatus.ASSIGNED})

ALLOWED_TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.RECEIVED: frozenset({ReportStatus.ASSIGNED, ReportStatus.TRIAGE,
                                      ReportStatus.WITHDRAWN}),
    ReportStatus.TRIAGE: frozenset({ReportStatus.ASSIGNED, ReportStatus.NOT_OURS,
                                    ReportStatus.DUPLICATE, ReportStatus.REJECTED,
                                    ReportStatus.WITHDRAWN}),
    # Assigned again: to another party (reassignment).
    ReportStatus.ASSIGNED: _WORKING,
    ReportStatus.IN_PROGRESS: _WORKING - {ReportStatus.IN_PROGRESS},
    ReportStatus.WAITING: _WORKING - {ReportStatus.WAITING},
    # Fixed is reopened when the problem comes back, or closed when checked.
    ReportStatus.FIXED: frozenset({ReportStatus.CLOSED, ReportStatus.IN_PROGRESS}),
    ReportStatus.CLOSED: frozenset(),
    # A wrong "not ours" or rejection goes back to triage.
    ReportStatus.NOT_OURS: frozenset({ReportStatus.TRIAGE}),
    ReportStatus.REJECTED: frozenset({ReportStatus.TRIAGE}),
    ReportStatus.DUPLICATE: frozenset(),
    ReportStatus.WITHDRAWN: frozenset(),
}

# What staff pick from the status form; the rest come with their own action.
STAFF_CHOSEN = frozenset({ReportStatus.TRIAGE, ReportStatus.IN_PROGRESS, ReportStatus.WAITING,
                          ReportStatus.FIXED, ReportStatus.CLOSED, ReportStatus.NOT_OURS,
                          ReportStatus.REJECTED})


class TransitionNotAllowed(ValueError):
    def __init__(self, current: ReportStatus, target: ReportStatus) -> None:
        super().__init__(f"A report in status '{current}' cannot move to '{target}'")
        self.current = current
        self.target = target


def check_transition(current: ReportStatus, target: ReportStatus) -> None:
    if target not in ALLOWED_TRANSITIONS[current]:
        raise TransitionNotAllowed(current, target)


def staff_choices(current: ReportStatus) -> list[ReportStatus]:
    """The statuses the status form offers for a report in `current`, in the enum's order."""
    allowed = ALLOWED_TRANSITIONS[current] & STAFF_CHOSEN
    return [status for status in ReportStatus if status in allowed]

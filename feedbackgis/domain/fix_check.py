"""The closed loop: a fixed report asks its reporter and followers "is it fixed?".

The check opens when a report enters FIXED and stays open FIX_CHECK_DAYS (config), while the
report is still fixed. The first answer ends it for everyone:
- "yes" confirms the fix: the report is closed (fixed and checked, the state machine's end);
- "no" reopens it to the same party (in progress, a new due date) and counts against it.
Unanswered, the check runs out and the report stays fixed (the scheduled job clears it).

Who answered what is read from the report's events (pure data here, no ORM): the event that
started a check carries FIX_CHECK_KEY in its data; an answer is a fix_confirmed or reopened
event whose data names its respondent.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from feedbackgis.domain.statuses import ReportStatus

DEFAULT_FIX_CHECK_DAYS = 14
# The data key of the event that started a check: when it ends (ISO 8601).
FIX_CHECK_KEY = "fix_check_until"
# "No, it is not fixed" may say why in a line or two (shown to staff and the party).
NOT_FIXED_TEXT_MAX_LENGTH = 1000
# The event kinds of an answer (models.EventKind values; the domain imports no models).
FIX_CONFIRMED, REOPENED = "fix_confirmed", "reopened"
REPORTER, FOLLOWER = "reporter", "follower"


class Answer(enum.StrEnum):
    FIXED = "yes"
    NOT_FIXED = "no"


# Where each answer takes the report (both are transitions the state machine allows).
STATUS_AFTER = {Answer.FIXED: ReportStatus.CLOSED, Answer.NOT_FIXED: ReportStatus.IN_PROGRESS}
EVENT_KIND_OF = {Answer.FIXED: FIX_CONFIRMED, Answer.NOT_FIXED: REOPENED}
ANSWER_OF_KIND = {kind: answer for answer, kind in EVENT_KIND_OF.items()}


class QuestionState(enum.StrEnum):
    OPEN = "open"  # this person may answer now
    ANSWERED = "answered"  # this person's answer ended the latest check
    CLOSED = "closed"  # ran out, answered by someone else, or the report moved on


@dataclass(frozen=True)
class Respondent:
    """Who answers: the reporter, or one follower (by id; never an address)."""

    kind: str  # REPORTER or FOLLOWER
    follower_id: int | None = None

    def as_data(self) -> dict[str, Any]:
        """What the answer's event records of them."""
        return {"by": self.kind} | ({"follower_id": self.follower_id}
                                    if self.kind == FOLLOWER else {})

    def answered(self, data: Mapping[str, Any]) -> bool:
        return data.get("by") == self.kind and (
            self.kind != FOLLOWER or data.get("follower_id") == self.follower_id)


def check_ends_at(fixed_at: datetime, days: int) -> datetime:
    if days < 1:
        raise ValueError(f"A fix check lasts at least a day, not {days}")
    return fixed_at + timedelta(days=days)


def is_open(status: ReportStatus | str, until: datetime | None, now: datetime) -> bool:
    return status == ReportStatus.FIXED and until is not None and now < until


def their_answer(events: Iterable[tuple[str, Mapping[str, Any]]],
                 respondent: Respondent) -> Answer | None:
    """The respondent's answer when it is the one that ended the latest check, else None.

    `events`: (kind, data) of the report's events, oldest first."""
    for kind, data in reversed(list(events)):
        if kind in ANSWER_OF_KIND:
            return ANSWER_OF_KIND[kind] if respondent.answered(data) else None
        if FIX_CHECK_KEY in data:
            return None  # the latest check, not answered
    return None


def question_state(status: ReportStatus | str, until: datetime | None, now: datetime,
                   answer_of_theirs: Answer | None) -> QuestionState:
    if is_open(status, until, now):
        return QuestionState.OPEN
    return QuestionState.ANSWERED if answer_of_theirs is not None else QuestionState.CLOSED

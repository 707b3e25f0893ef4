"""mySociety's Open311 status words (servicerequestupdates) and our report statuses.

FixMyStreet and mySociety's open311-adapter speak OPEN, CLOSED and the extended words
(FIXED, IN_PROGRESS, ACTION_SCHEDULED, ...), uppercase with underscores; words are read
case-insensitively (" in progress " is IN_PROGRESS). Pure: no Flask, no SQL.

Out (GET): every status has the word nearest in meaning. CLOSED here is "fixed and checked",
so it goes out as FIXED; a withdrawal as CLOSED (ended, nothing to fix); a rejection as
NO_FURTHER_ACTION.

In (POST, and updates pulled from a party's system): a word names the status the sender's
system gives the request, or no change (OPEN: still open, which says nothing new). CLOSED
means what FixMyStreet means by it without extended statuses, the work is done: FIXED. An
INTERNAL_REFERRAL (or FOR_TRIAGE) hands the request back to the city for another party:
TRIAGE. Whether a sender may make the change is services/open311/received_updates.py's rule.
"""
from __future__ import annotations

from feedbackgis.domain.statuses import ReportStatus

WORD_OF: dict[ReportStatus, str] = {
    ReportStatus.RECEIVED: "OPEN",
    ReportStatus.TRIAGE: "OPEN",
    ReportStatus.ASSIGNED: "OPEN",
    ReportStatus.IN_PROGRESS: "IN_PROGRESS",
    ReportStatus.WAITING: "ACTION_SCHEDULED",
    ReportStatus.FIXED: "FIXED",
    ReportStatus.CLOSED: "FIXED",
    ReportStatus.NOT_OURS: "NOT_COUNCILS_RESPONSIBILITY",
    ReportStatus.DUPLICATE: "DUPLICATE",
    ReportStatus.REJECTED: "NO_FURTHER_ACTION",
    ReportStatus.WITHDRAWN: "CLOSED",
}

# None: the word changes no status.
STATUS_OF: dict[str, ReportStatus | None] = {
    "OPEN": None,
    "CLOSED": ReportStatus.FIXED,
    "FIXED": ReportStatus.FIXED,
    "IN_PROGRESS": ReportStatus.IN_PROGRESS,
    "INVESTIGATING": ReportStatus.IN_PROGRESS,
    "REOPEN": ReportStatus.IN_PROGRESS,
    "ACTION_SCHEDULED": ReportStatus.WAITING,
    "PLANNED": ReportStatus.WAITING,
    "NOT_COUNCILS_RESPONSIBILITY": ReportStatus.NOT_OURS,
    "NO_FURTHER_ACTION": ReportStatus.REJECTED,
    "DUPLICATE": ReportStatus.DUPLICATE,
    "INTERNAL_REFERRAL": ReportStatus.TRIAGE,
    "FOR_TRIAGE": ReportStatus.TRIAGE,
}
WORD_MAX_LENGTH = 64


class UnknownStatusWord(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(f"No status '{word[:WORD_MAX_LENGTH]}'; one of "
                         f"{', '.join(STATUS_OF)}.")
        self.word = word


def word_of(status: ReportStatus | str) -> str:
    """The mySociety word of our status."""
    return WORD_OF[ReportStatus(status)]


def normalised_word(word: str) -> str:
    """`word` as the spec spells it: uppercase, words joined by underscores."""
    return "_".join(word.replace("-", " ").replace("_", " ").split()).upper()


def status_of(word: str) -> ReportStatus | None:
    """Our status for a word as sent (any case), None for one that changes nothing;
    UnknownStatusWord for a word not in the spec."""
    normal = normalised_word(word)
    if normal not in STATUS_OF:
        raise UnknownStatusWord(word)
    return STATUS_OF[normal]

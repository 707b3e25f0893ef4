"""mySociety's Open311 status words and our statuses, both ways."""
from __future__ import annotations

import pytest

from feedbackgis.domain.open311_statuses import (
    STATUS_OF,
    UnknownStatusWord,
    normalised_word,
    status_of,
    word_of,
)
from feedbackgis.domain.statuses import FIXED_STATUSES, OPEN_STATUSES, ReportStatus

SPEC_WORDS = {"OPEN", "CLOSED", "FIXED", "IN_PROGRESS", "ACTION_SCHEDULED", "INVESTIGATING",
              "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION",
              "INTERNAL_REFERRAL"}


def test_every_status_has_a_word_of_the_spec() -> None:
    for status in ReportStatus:
        assert word_of(status) in STATUS_OF


def test_open_statuses_go_out_as_open_words_and_fixed_ones_as_fixed() -> None:
    assert word_of(ReportStatus.ASSIGNED) == "OPEN"
    assert word_of(ReportStatus.IN_PROGRESS) == "IN_PROGRESS"
    assert word_of(ReportStatus.WAITING) == "ACTION_SCHEDULED"
    assert {word_of(s) for s in FIXED_STATUSES} == {"FIXED"}
    assert word_of(ReportStatus.NOT_OURS) == "NOT_COUNCILS_RESPONSIBILITY"
    assert word_of("duplicate") == "DUPLICATE"
    assert word_of(ReportStatus.WITHDRAWN) == "CLOSED"
    assert "FIXED" not in {word_of(s) for s in OPEN_STATUSES}


def test_every_word_of_the_spec_is_understood() -> None:
    assert SPEC_WORDS.issubset(STATUS_OF)


@pytest.mark.parametrize(("word", "status"), [
    ("FIXED", ReportStatus.FIXED), ("fixed", ReportStatus.FIXED),
    ("CLOSED", ReportStatus.FIXED), ("In_Progress", ReportStatus.IN_PROGRESS),
    (" in progress ", ReportStatus.IN_PROGRESS), ("action-scheduled", ReportStatus.WAITING),
    ("not_councils_responsibility", ReportStatus.NOT_OURS),
    ("NO_FURTHER_ACTION", ReportStatus.REJECTED),
    ("INTERNAL_REFERRAL", ReportStatus.TRIAGE), ("DUPLICATE", ReportStatus.DUPLICATE),
    ("REOPEN", ReportStatus.IN_PROGRESS),
])
def test_a_word_in_any_case_names_our_status(word: str, status: ReportStatus) -> None:
    assert status_of(word) is status


def test_open_changes_no_status() -> None:
    assert status_of("open") is None
    assert status_of("OPEN") is None


@pytest.mark.parametrize("word", ["", "RESOLVED", "OPEN!", "x" * 500])
def test_an_unknown_word_is_refused_naming_the_words_known(word: str) -> None:
    with pytest.raises(UnknownStatusWord) as caught:
        status_of(word)
    assert "IN_PROGRESS" in str(caught.value)
    assert len(str(caught.value)) < 400


def test_words_are_normalised_as_the_spec_spells_them() -> None:
    assert normalised_word("  action   scheduled") == "ACTION_SCHEDULED"

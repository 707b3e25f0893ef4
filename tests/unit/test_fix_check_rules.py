"""The closed loop's rules: how long a check lasts, when it takes answers, whose answer ended it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedbackgis.domain.fix_check import (
    FIX_CHECK_KEY,
    FOLLOWER,
    REPORTER,
    STATUS_AFTER,
    Answer,
    QuestionState,
    Respondent,
    check_ends_at,
    is_open,
    question_state,
    their_answer,
)
from feedbackgis.domain.statuses import ALLOWED_TRANSITIONS, ReportStatus

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
THE_REPORTER = Respondent(REPORTER)
FOLLOWER_7, FOLLOWER_8 = Respondent(FOLLOWER, 7), Respondent(FOLLOWER, 8)
STARTED = ("status_changed", {FIX_CHECK_KEY: "2026-06-15T12:00:00+00:00"})


def test_a_check_ends_the_given_number_of_days_after_the_fix():
    assert check_ends_at(NOW, 14) == NOW + timedelta(days=14)


def test_a_check_of_no_days_is_refused():
    with pytest.raises(ValueError, match="at least a day"):
        check_ends_at(NOW, 0)


@pytest.mark.parametrize(("status", "until", "expected"), [
    (ReportStatus.FIXED, NOW + timedelta(seconds=1), True),
    (ReportStatus.FIXED, NOW, False),  # the moment it ends, it takes no more answers
    (ReportStatus.FIXED, None, False),
    (ReportStatus.IN_PROGRESS, NOW + timedelta(days=1), False),
    (ReportStatus.CLOSED, NOW + timedelta(days=1), False),
])
def test_a_check_is_open_only_while_the_report_is_fixed_and_its_time_has_not_run_out(
        status, until, expected):
    assert is_open(status, until, NOW) is expected


def test_both_answers_lead_where_the_state_machine_allows_from_fixed():
    assert STATUS_AFTER == {Answer.FIXED: ReportStatus.CLOSED,
                            Answer.NOT_FIXED: ReportStatus.IN_PROGRESS}
    assert set(STATUS_AFTER.values()) <= ALLOWED_TRANSITIONS[ReportStatus.FIXED]


def test_an_answer_records_its_respondent_without_anything_personal():
    assert THE_REPORTER.as_data() == {"by": "reporter"}
    assert FOLLOWER_7.as_data() == {"by": "follower", "follower_id": 7}


def test_the_reporters_answer_to_the_latest_check_is_theirs():
    events = [("submitted", {}), STARTED, ("reopened", {"by": "reporter"})]
    assert their_answer(events, THE_REPORTER) is Answer.NOT_FIXED
    assert their_answer(events, FOLLOWER_7) is None


def test_a_followers_answer_is_theirs_alone():
    events = [STARTED, ("fix_confirmed", {"by": "follower", "follower_id": 7})]
    assert their_answer(events, FOLLOWER_7) is Answer.FIXED
    assert their_answer(events, FOLLOWER_8) is None
    assert their_answer(events, THE_REPORTER) is None


def test_an_answer_to_an_earlier_check_does_not_count_once_a_new_check_started():
    events = [STARTED, ("reopened", {"by": "reporter"}), ("status_changed", {}), STARTED]
    assert their_answer(events, THE_REPORTER) is None


def test_events_after_the_answer_do_not_hide_it():
    events = [STARTED, ("reopened", {"by": "reporter"}), ("note", {}), ("status_changed", {})]
    assert their_answer(events, THE_REPORTER) is Answer.NOT_FIXED


@pytest.mark.parametrize(("status", "until", "answer", "state"), [
    (ReportStatus.FIXED, NOW + timedelta(days=1), None, QuestionState.OPEN),
    (ReportStatus.CLOSED, None, Answer.FIXED, QuestionState.ANSWERED),
    (ReportStatus.IN_PROGRESS, None, Answer.NOT_FIXED, QuestionState.ANSWERED),
    (ReportStatus.CLOSED, None, None, QuestionState.CLOSED),  # someone else answered
    (ReportStatus.FIXED, NOW - timedelta(days=1), None, QuestionState.CLOSED),  # ran out
    (ReportStatus.FIXED, None, None, QuestionState.CLOSED),  # the job ended it
])
def test_the_question_is_open_answered_by_them_or_closed(status, until, answer, state):
    assert question_state(status, until, NOW, answer) is state

"""The state machine of domain/statuses.py: every (from, to) pair, outcomes, names, choices."""
from __future__ import annotations

import pytest

from feedbackgis.domain.statuses import (
    CLOSED_STATUSES,
    FIXED_STATUSES,
    OPEN_STATUSES,
    OUTCOMES,
    STAFF_CHOSEN,
    Outcome,
    ReportStatus,
    TransitionNotAllowed,
    check_transition,
    staff_choices,
)
from feedbackgis.i18n import STATUS_NAMES

# Y: the row's status may move to the column's, -: refused. Written out here, not read back
# from ALLOWED_TRANSITIONS, so a change of the rules must change this table too.
MATRIX = """
              received triage assigned in_progress waiting fixed closed not_ours duplicate rejected withdrawn
received      -        Y      Y        -           -       -     -      -        -         -        Y
triage        -        -      Y        -           -       -     -      Y        Y         Y        Y
assigned      -        Y      Y        Y           Y       Y     -      Y        Y         Y        Y
in_progress   -        Y      Y        -           Y       Y     -      Y        Y         Y        Y
waiting       -        Y      Y        Y           -       Y     -      Y        Y         Y        Y
fixed         -        -      -        Y           -       -     Y      -        -         -        -
closed        -        -      -        -           -       -     -      -        -         -        -
not_ours      -        Y      -        -           -       -     -      -        -         -        -
duplicate     -        -      -        -           -       -     -      -        -         -        -
rejected      -        Y      -        -           -       -     -      -        -         -        -
withdrawn     -        -      -        -           -       -     -      -        -         -        -
"""  # noqa: E501


def _expected() -> dict[tuple[ReportStatus, ReportStatus], bool]:
    header, *rows = (line.split() for line in MATRIX.strip().splitlines())
    targets = [ReportStatus(name) for name in header]
    table = {}
    for name, *marks in rows:
        assert len(marks) == len(targets), name
        for target, mark in zip(targets, marks, strict=True):
            table[(ReportStatus(name), target)] = mark == "Y"
    return table


EXPECTED = _expected()
ALLOWED = [pair for pair in sorted(EXPECTED) if EXPECTED[pair]]
REFUSED = [pair for pair in sorted(EXPECTED) if not EXPECTED[pair]]


def _ids(pairs):
    return [f"{current}->{target}" for current, target in pairs]

EXPECTED_OUTCOMES = {
    "received": "open", "triage": "open", "assigned": "open", "in_progress": "open",
    "waiting": "open", "fixed": "fixed", "closed": "fixed", "not_ours": "closed",
    "duplicate": "closed", "rejected": "closed", "withdrawn": "closed",
}


def test_matrix_names_every_pair_of_the_eleven_statuses():
    assert len(ReportStatus) == 11
    assert set(EXPECTED) == {(a, b) for a in ReportStatus for b in ReportStatus}


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=_ids(ALLOWED))
def test_transition_the_matrix_allows_passes_the_check(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), REFUSED, ids=_ids(REFUSED))
def test_transition_the_matrix_refuses_is_refused_naming_both_statuses(current, target):
    with pytest.raises(TransitionNotAllowed) as refused:
        check_transition(current, target)
    assert (refused.value.current, refused.value.target) == (current, target)
    assert f"'{current}'" in str(refused.value) and f"'{target}'" in str(refused.value)


@pytest.mark.parametrize("status", list(ReportStatus))
def test_each_status_has_its_outcome(status):
    assert OUTCOMES[status] is Outcome(EXPECTED_OUTCOMES[status])


def test_open_fixed_and_closed_statuses_split_every_status_once():
    assert set(ReportStatus) == OPEN_STATUSES | FIXED_STATUSES | CLOSED_STATUSES
    assert not OPEN_STATUSES & FIXED_STATUSES and not OPEN_STATUSES & CLOSED_STATUSES
    assert not FIXED_STATUSES & CLOSED_STATUSES
    assert {s.value for s in FIXED_STATUSES} == {"fixed", "closed"}


def test_every_status_has_a_public_name_and_no_name_is_left_over():
    assert set(STATUS_NAMES) == {status.value for status in ReportStatus}
    assert all(name.strip() for name in STATUS_NAMES.values())
    assert len(set(STATUS_NAMES.values())) == len(STATUS_NAMES)  # no two read the same


@pytest.mark.parametrize("status", [ReportStatus.CLOSED, ReportStatus.DUPLICATE,
                                    ReportStatus.WITHDRAWN])
def test_nothing_leaves_a_final_status(status):
    for target in ReportStatus:
        with pytest.raises(TransitionNotAllowed):
            check_transition(status, target)
    assert staff_choices(status) == []


def test_a_closed_or_fixed_report_cannot_be_withdrawn_or_reassigned():
    for status in FIXED_STATUSES | CLOSED_STATUSES:
        assert not EXPECTED[(status, ReportStatus.WITHDRAWN)]
        assert not EXPECTED[(status, ReportStatus.ASSIGNED)]


def test_every_open_status_can_be_withdrawn_by_its_reporter():
    for status in OPEN_STATUSES:
        check_transition(status, ReportStatus.WITHDRAWN)


@pytest.mark.parametrize("status", list(ReportStatus))
def test_staff_choices_are_the_allowed_targets_staff_pick_in_the_enums_order(status):
    chosen = {ReportStatus(name) for name in ("triage", "in_progress", "waiting", "fixed",
                                              "closed", "not_ours", "rejected")}
    expected = [target for target in ReportStatus
                if EXPECTED[(status, target)] and target in chosen]
    assert staff_choices(status) == expected


@pytest.mark.parametrize("status", list(ReportStatus))
def test_staff_choices_never_offer_a_status_that_comes_with_its_own_action(status):
    own_action = {ReportStatus.RECEIVED, ReportStatus.ASSIGNED, ReportStatus.DUPLICATE,
                  ReportStatus.WITHDRAWN}
    assert not set(staff_choices(status)) & own_action
    assert not STAFF_CHOSEN & own_action

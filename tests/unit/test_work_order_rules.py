"""The rules of a work order (domain/work_orders.py): which actions each status offers,
when a work order counts as accepted, and which events its contractor reads."""
from __future__ import annotations

import pytest

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.work_orders import (
    ActionNotAvailable,
    WorkOrderAction,
    available_actions,
    check_action,
    is_accepted,
    seen_by_party,
)

ACCEPT, START, DONE, HAND_BACK = (WorkOrderAction.ACCEPT, WorkOrderAction.START,
                                  WorkOrderAction.DONE, WorkOrderAction.HAND_BACK)


@pytest.mark.parametrize(("status", "accepted", "expected"), [
    (ReportStatus.ASSIGNED, False, [ACCEPT, START, DONE, HAND_BACK]),
    (ReportStatus.ASSIGNED, True, [START, DONE, HAND_BACK]),
    (ReportStatus.IN_PROGRESS, True, [DONE, HAND_BACK]),
    (ReportStatus.IN_PROGRESS, False, [DONE, HAND_BACK]),
    (ReportStatus.WAITING, True, [START, DONE, HAND_BACK]),
])
def test_an_open_work_order_offers_the_steps_that_are_left(status, accepted, expected):
    assert available_actions(status, accepted) == expected


@pytest.mark.parametrize("status", [ReportStatus.RECEIVED, ReportStatus.TRIAGE,
                                    ReportStatus.FIXED, ReportStatus.CLOSED,
                                    ReportStatus.NOT_OURS, ReportStatus.DUPLICATE,
                                    ReportStatus.REJECTED, ReportStatus.WITHDRAWN])
def test_a_report_no_party_works_on_offers_nothing_and_refuses_everything(status):
    assert available_actions(status, False) == []
    for action in WorkOrderAction:
        with pytest.raises(ActionNotAvailable):
            check_action(action, status, False)


@pytest.mark.parametrize(("kinds", "accepted"), [
    ([], False),
    (["submitted", "assigned"], False),
    (["submitted", "assigned", "accepted"], True),
    (["assigned", "accepted", "status_changed", "note"], True),
    # Reassigned, handed back and given again, or reopened: an earlier acceptance is over.
    (["assigned", "accepted", "assigned"], False),
    (["assigned", "accepted", "handed_back", "status_changed", "assigned"], False),
    (["assigned", "accepted", "triaged"], False),
    (["assigned", "accepted", "reopened"], False),
])
def test_a_work_order_is_accepted_when_its_latest_assignment_was(kinds, accepted):
    assert is_accepted(kinds) is accepted


@pytest.mark.parametrize(("kind", "public", "seen"), [
    ("status_changed", True, True),
    ("reply", True, True),
    ("comment", False, True),  # what the reporter added: for whoever handles it
    ("accepted", False, True),
    ("note", False, False),  # the city's internal note
    ("assigned", False, False),  # reassignment between parties: which ones is internal
    ("handed_back", False, False),
    ("recategorised", False, False),
    ("status_changed", False, False),
])
def test_a_contractor_reads_the_public_history_and_never_the_citys_internal_notes(
        kind, public, seen):
    assert seen_by_party(kind, public) is seen

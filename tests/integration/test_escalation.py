"""The hourly check escalates overdue reports: the party, then its manager; once each."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from feedbackgis.domain.due_dates import due_at
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import EventKind, OutboxMessage, OutboxTopic, Report, ReportEvent
from feedbackgis.services.reports.due_dates import set_due_date
from feedbackgis.services.reports.escalation import (
    EscalationPolicy,
    escalate_overdue_reports,
)
from tests.integration.factories import make_category, make_party, make_report

TZ = "Europe/Helsinki"
POLICY = EscalationPolicy(time_zone=TZ, manager_after_working_days=2)
# Thursday 5 March 2026, 12:00 in Helsinki.
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
YESTERDAY_DUE = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # Wednesday 16:00: 0 days late
LONG_AGO_DUE = datetime(2026, 2, 20, 14, 0, tzinfo=UTC)  # many working days late


@pytest.fixture
def party(session):
    return make_party(session, emails=["valot@example.fi"])


@pytest.fixture
def category(session):
    return make_category(session)


def _report(session, category, party, due, status=ReportStatus.ASSIGNED, level=0):
    report = make_report(session, category, party=party)
    report.due_at, report.status, report.escalation_level = due, status, level
    session.flush()
    return report


def _check(session, now=NOW, policy=POLICY, **options):
    return escalate_overdue_reports(session, policy, now, **options)


def _level(session, report) -> int:
    session.expire_all()
    return session.get(Report, report.id).escalation_level


def _escalations(session, report) -> list[dict]:
    events = session.scalars(select(ReportEvent).where(
        ReportEvent.report_id == report.id, ReportEvent.kind == EventKind.ESCALATED)
        .order_by(ReportEvent.id))
    return [event.data for event in events]


def _outbox(session) -> list[dict]:
    rows = session.scalars(select(OutboxMessage).where(
        OutboxMessage.topic == OutboxTopic.REPORT_ESCALATED.value).order_by(OutboxMessage.id))
    return [row.payload for row in rows]


def test_an_overdue_report_is_escalated_to_its_party_with_an_event_and_an_outbox_row(
        session, category, party):
    report = _report(session, category, party, YESTERDAY_DUE)
    summary = _check(session)
    assert (summary.parties_reminded, summary.managers_told) == (1, 0)
    assert _level(session, report) == 1
    [event] = _escalations(session, report)
    assert event == {"level": 1, "to": "party", "due_at": YESTERDAY_DUE.isoformat()}
    assert _outbox(session) == [{"report_id": report.id, "level": 1}]
    stored = session.scalars(select(ReportEvent).where(
        ReportEvent.kind == EventKind.ESCALATED)).one()
    assert not stored.is_public and stored.actor == "system"


def test_running_the_check_again_escalates_nothing_new(session, category, party):
    report = _report(session, category, party, YESTERDAY_DUE)
    assert _check(session).total == 1
    assert _check(session).total == 0
    assert _check(session, NOW + timedelta(hours=1)).total == 0  # 0 working days late still
    assert len(_escalations(session, report)) == 1 and len(_outbox(session)) == 1


def test_the_manager_is_told_once_the_report_is_late_by_the_working_days(
        session, category, party):
    report = _report(session, category, party, YESTERDAY_DUE, level=1)
    # Wednesday 16:00 due; two working days end on Friday 16:00.
    friday_afternoon = datetime(2026, 3, 6, 13, 59, tzinfo=UTC)  # 15:59 local
    assert _check(session, friday_afternoon).total == 0
    assert _level(session, report) == 1
    after_friday = datetime(2026, 3, 6, 14, 15, tzinfo=UTC)
    assert _check(session, after_friday).managers_told == 1
    assert _level(session, report) == 2
    assert _escalations(session, report)[-1]["to"] == "managers"  # the party has none
    assert _outbox(session) == [{"report_id": report.id, "level": 2}]
    assert _check(session, after_friday + timedelta(days=5)).total == 0  # level 2 is the last


def test_the_event_says_the_partys_own_manager_was_told_when_it_has_one(session, category):
    party = make_party(session, emails=["p@example.fi"])
    party.manager_email = "esihenkilo@example.fi"
    report = _report(session, category, party, LONG_AGO_DUE, level=1)
    _check(session)
    [event] = _escalations(session, report)
    assert event["to"] == "party_manager" and "esihenkilo" not in str(event)


def test_a_report_climbs_one_level_per_run_so_the_party_hears_first(session, category, party):
    report = _report(session, category, party, LONG_AGO_DUE)
    assert (_check(session).parties_reminded, _level(session, report)) == (1, 1)
    assert (_check(session).managers_told, _level(session, report)) == (1, 2)
    assert [event["level"] for event in _escalations(session, report)] == [1, 2]


@pytest.mark.parametrize("status", [ReportStatus.FIXED, ReportStatus.CLOSED,
                                    ReportStatus.REJECTED, ReportStatus.NOT_OURS,
                                    ReportStatus.DUPLICATE, ReportStatus.WITHDRAWN])
def test_reports_fixed_or_closed_are_never_escalated(session, category, party, status):
    report = _report(session, category, party, LONG_AGO_DUE, status=status)
    assert _check(session).total == 0
    assert _level(session, report) == 0 and _outbox(session) == []


def test_reports_not_yet_due_or_without_a_due_date_are_left_alone(session, category, party):
    not_due = _report(session, category, party, NOW + timedelta(minutes=1))
    no_date = _report(session, category, party, None)
    assert _check(session).total == 0
    assert _level(session, not_due) == _level(session, no_date) == 0


@pytest.mark.parametrize("status", [ReportStatus.IN_PROGRESS, ReportStatus.WAITING,
                                    ReportStatus.TRIAGE])
def test_every_open_status_may_be_overdue(session, category, party, status):
    report = _report(session, category, party, YESTERDAY_DUE, status=status)
    assert _check(session).parties_reminded == 1 and _level(session, report) == 1


def test_many_reports_are_escalated_in_batches(session, category, party):
    reports = [_report(session, category, party, YESTERDAY_DUE - timedelta(minutes=i))
               for i in range(7)]
    assert _check(session, batch_size=3).parties_reminded == 7
    assert {_level(session, report) for report in reports} == {1}
    assert sorted(row["report_id"] for row in _outbox(session)) == sorted(r.id for r in reports)


def test_escalation_does_not_touch_the_reports_public_update_time(session, category, party):
    report = _report(session, category, party, YESTERDAY_DUE)
    # Not now(): within the test's one transaction now() would not change anyway.
    before = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    report.updated_at = before
    session.commit()
    _check(session)
    assert _level(session, report) == 1
    assert session.get(Report, report.id).updated_at == before


def test_a_reassigned_report_is_escalated_afresh_against_its_new_due_date(
        session, category, party):
    report = _report(session, category, party, LONG_AGO_DUE, level=2)
    set_due_date(session, report, NOW, time_zone=TZ)
    session.commit()
    assert report.due_at == due_at(NOW, 10, TZ)
    assert _check(session).total == 0
    assert _check(session, report.due_at + timedelta(minutes=1)).parties_reminded == 1


def test_the_policy_comes_from_the_configuration():
    policy = EscalationPolicy.from_config(
        {"TIMEZONE": "Europe/Mariehamn", "ESCALATION_MANAGER_AFTER_WORKING_DAYS": "3"})
    assert policy == EscalationPolicy(time_zone="Europe/Mariehamn",
                                      manager_after_working_days=3)


def test_two_checks_at_once_escalate_each_report_once(app, committed, committed_engine):
    from sqlalchemy.orm import Session

    from feedbackgis.services.reports.escalation import _escalate_batch

    category = make_category(committed)
    report = _report(committed, category, make_party(committed), YESTERDAY_DUE)
    committed.commit()
    with Session(committed_engine) as first, Session(committed_engine) as second:
        assert _escalate_batch(first, 0, NOW, 200) == 1  # holds the row, not yet committed
        assert escalate_overdue_reports(second, POLICY, NOW).total == 0  # skips, no wait
        first.commit()
        assert escalate_overdue_reports(second, POLICY, NOW).total == 0
    assert len(_escalations(committed, report)) == 1 and len(_outbox(committed)) == 1

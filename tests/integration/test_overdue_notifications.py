"""The emails of an escalation step: the party's reminder, then the manager's notice."""
from __future__ import annotations

from datetime import UTC, datetime

from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import StaffUser
from feedbackgis.services.notifications.overdue_notifications import notify_of_escalation
from tests.integration.factories import make_category, make_party, make_report

TZ = "Europe/Helsinki"
DUE = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # Monday 16:00 in Helsinki
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)  # Thursday noon: 2 working days late


def _overdue(session, *, emails=("valot@example.fi",), manager=None, level=1,
             status=ReportStatus.ASSIGNED):
    party = make_party(session, "Valaistus Oy", emails=list(emails))
    party.manager_email = manager
    report = make_report(session, make_category(session), party=party,
                         address="Mannerheimintie 1")
    report.due_at, report.escalation_level, report.status = DUE, level, status
    session.flush()
    return report


def _manager(session, email, *, active=True, role=Role.MANAGER, party=None):
    user = StaffUser(email=email, role=role, active=active,
                     party_id=party.id if party else None)
    session.add(user)
    session.flush()
    return user


def _notify(session, smtp, links, report, level):
    return notify_of_escalation(session, smtp, links, report_id=report.id, level=level,
                                time_zone=TZ, now=NOW)


def test_the_party_is_reminded_at_every_address_once_with_the_work_order_link(
        session, smtp, links, mail_sink):
    report = _overdue(session, emails=("a@example.fi", "b@example.fi", " A@example.fi"))
    assert _notify(session, smtp, links, report, 1) == 2
    assert _notify(session, smtp, links, report, 1) == 0  # a retried job sends nothing
    assert sorted(m["To"] for m in mail_sink.messages) == ["a@example.fi", "b@example.fi"]
    message = mail_sink.messages[0]
    body = message.get_body(("plain",)).get_content()
    assert f"#{report.id}" in message["Subject"]
    assert links.work_order(report) in body and f"/staff/reports/{report.id}" in body
    assert "2.3.2026 16.00" in body  # the due date, in the municipality's time and language
    assert "Mannerheimintie 1" in body


def test_the_manager_step_goes_to_the_partys_manager_when_it_has_one(
        session, smtp, links, mail_sink):
    report = _overdue(session, manager="esihenkilo@example.fi", level=2)
    _manager(session, "johtaja@example.fi")
    assert _notify(session, smtp, links, report, 2) == 1
    assert [m["To"] for m in mail_sink.messages] == ["esihenkilo@example.fi"]
    assert "Valaistus Oy" in mail_sink.messages[0].get_body(("plain",)).get_content()


def test_without_a_party_manager_every_active_manager_is_told(session, smtp, links, mail_sink):
    report = _overdue(session, level=2)
    _manager(session, "johtaja@example.fi")
    _manager(session, "toinen@example.fi")
    _manager(session, "entinen@example.fi", active=False)
    _manager(session, "kasittelija@example.fi", role=Role.HANDLER,
             party=report.assigned_party)
    assert _notify(session, smtp, links, report, 2) == 2
    assert sorted(m["To"] for m in mail_sink.messages) == ["johtaja@example.fi",
                                                           "toinen@example.fi"]
    assert _notify(session, smtp, links, report, 2) == 0


def test_a_report_dealt_with_meanwhile_sends_nothing(session, smtp, links, mail_sink):
    report = _overdue(session, status=ReportStatus.FIXED)
    assert _notify(session, smtp, links, report, 1) == 0
    assert mail_sink.messages == []


def test_a_report_reassigned_meanwhile_sends_nothing_for_the_old_step(
        session, smtp, links, mail_sink):
    report = _overdue(session, level=0)  # set_due_date put it back to level 0
    assert _notify(session, smtp, links, report, 1) == 0
    assert mail_sink.messages == []


def test_a_party_without_addresses_is_sent_nothing(session, smtp, links, mail_sink):
    report = _overdue(session, emails=())
    assert _notify(session, smtp, links, report, 1) == 0


def test_the_party_reminder_still_goes_when_the_manager_was_told_first(
        session, smtp, links, mail_sink):
    report = _overdue(session, level=2)  # the level 1 job ran late, after level 2
    assert _notify(session, smtp, links, report, 1) == 1

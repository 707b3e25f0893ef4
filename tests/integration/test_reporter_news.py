"""The staff hear what the reporter adds or whether they withdraw: the person working on the
report, else its party; never the reporter's contact."""
from __future__ import annotations

from sqlalchemy import select

from feedbackgis.domain.permissions import Role
from feedbackgis.models import OutboxMessage, StaffUser
from feedbackgis.services.notifications.reporter_news import notify_staff_of_reporter_news
from feedbackgis.services.reports.reporter_actions import add_information, withdraw_report
from feedbackgis.services.reports.submission import follow_up_token

from .factories import make_category, make_party, make_report
from .mail_checks import html_of, text_of

PARTY_EMAILS = ["valot@example.fi", "VALOT@example.fi ", "paivystys@example.fi"]
CONTACT = {"name": "Aino Asukas", "email": "aino@example.fi", "phone": "040 123 4567"}


def _report(session, party=True):
    party = make_party(session, emails=PARTY_EMAILS) if party else None
    report = make_report(session, make_category(session, "streetlight"), party=party,
                         contact=CONTACT)
    return report, follow_up_token(report, "test-secret-key")


def _notify(session, smtp, links, report, event):
    return notify_staff_of_reporter_news(session, smtp, links, report_id=report.id,
                                         event_id=event.id)


def test_the_party_gets_what_the_reporter_added_once_per_address(session, smtp, links,
                                                                 mail_sink):
    report, token = _report(session)
    event = add_information(session, token, "Valo on sammunut myös viereisessä pylväässä.")
    [outbox] = session.scalars(select(OutboxMessage).where(
        OutboxMessage.topic == "report.information_added")).all()
    assert outbox.payload == {"report_id": report.id, "event_id": event.id}
    assert _notify(session, smtp, links, report, event) == 2
    assert sorted(m["To"] for m in mail_sink.messages) == ["paivystys@example.fi",
                                                            "valot@example.fi"]
    message = mail_sink.messages[0]
    assert f"#{report.id}" in message["Subject"]
    for body in (text_of(message), html_of(message)):
        assert "viereisessä pylväässä" in body and f"/staff/reports/{report.id}" in body
        assert "aino@example.fi" not in body and "Aino" not in body and "040 123" not in body
    assert _notify(session, smtp, links, report, event) == 0  # a retried job sends nothing


def test_the_person_working_on_it_is_told_instead_of_the_party(session, smtp, links,
                                                               mail_sink):
    report, token = _report(session)
    person = StaffUser(email="kaisa@city.example.fi", role=Role.HANDLER,
                       party_id=report.assigned_party_id, active=True, failed_logins=0)
    session.add(person)
    session.flush()
    report.assigned_user_id = person.id
    session.commit()
    event = withdraw_report(session, token)
    assert _notify(session, smtp, links, report, event) == 1
    [message] = mail_sink.messages
    assert message["To"] == "kaisa@city.example.fi"
    assert "withdrew" in message["Subject"] or "peru" in message["Subject"].lower()


def test_a_report_nobody_has_yet_emails_nobody(session, smtp, links, mail_sink):
    report, token = _report(session, party=False)
    event = add_information(session, token, "Lisätieto")
    assert _notify(session, smtp, links, report, event) == 0
    assert mail_sink.messages == []

"""The reporter's emails: confirmation, public updates, the closing message."""
from __future__ import annotations

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import EventKind, ReportEvent
from feedbackgis.services.notifications.fix_check_notifications import ask_reporter_if_fixed
from feedbackgis.services.notifications.report_notifications import (
    notify_reporter_of_submission,
    notify_reporter_of_update,
)
from feedbackgis.services.reports.status import change_status

from .factories import make_category, make_party, make_report
from .mail_checks import everything_in, html_of, link_in, text_of

NAME, EMAIL, PHONE = "Aino Asukas", "aino.asukas@example.fi", "+358 40 123 4567"


def _report(session, *, category=None, contact=None, **extra):
    category = category or make_category(session, "streetlight", share_contact_with_party=True)
    contact = {"name": NAME, "email": EMAIL, "phone": PHONE} if contact is None else contact
    return make_report(session, category, party=make_party(session), contact=contact, **extra)


def _notify_update(session, smtp, links, report, event):
    return notify_reporter_of_update(session, smtp, links, report_id=report.id,
                                     event_id=event.id)


def test_confirmation_carries_a_follow_up_link_that_opens_the_report(
        session, smtp, links, mail_sink, client):
    report = _report(session, description="Valo ei pala")
    assert notify_reporter_of_submission(session, smtp, links, report_id=report.id,
                                         outbox_id=1) == 1
    [message] = mail_sink.messages
    assert message["To"] == EMAIL
    assert message["Subject"] == f"Ilmoituksesi on vastaanotettu: streetlight fi (#{report.id})"
    link = link_in(text_of(message), links.base_url, "/follow/")
    assert f'href="{link}"' in html_of(message)
    page = client.get(link.removeprefix(links.base_url.rstrip("/")))
    assert page.status_code == 200
    assert "Valo ei pala" in page.get_data(as_text=True)


def test_confirmation_is_in_the_reporters_language(session, smtp, links, mail_sink):
    report = _report(session, language="sv")
    notify_reporter_of_submission(session, smtp, links, report_id=report.id, outbox_id=1)
    message = mail_sink.messages[0]
    assert message["Subject"].startswith("Din anmälan har tagits emot: streetlight sv")
    assert '<html lang="sv">' in html_of(message)


def test_an_anonymous_report_or_one_without_an_email_gets_no_mail(
        session, smtp, links, mail_sink):
    anonymous = _report(session, contact={})
    phone_only = make_report(session, anonymous.category, contact={"phone": PHONE})
    for report in (anonymous, phone_only):
        assert notify_reporter_of_submission(session, smtp, links, report_id=report.id,
                                             outbox_id=1) == 0
        event = change_status(session, report.id, ReportStatus.REJECTED, actor="staff",
                              note="Ei meidän asiamme")
        assert _notify_update(session, smtp, links, report, event) == 0
    assert mail_sink.messages == []


def test_a_public_status_change_tells_the_reporter_the_status_and_the_answer(
        session, smtp, links, mail_sink):
    report = _report(session)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff",
                          note="Asentaja käy paikalla tiistaina.")
    assert _notify_update(session, smtp, links, report, event) == 1
    message = mail_sink.messages[0]
    assert message["Subject"] == f"Ilmoituksesi #{report.id}: Työn alla"
    text = text_of(message)
    assert "Ilmoituksesi tila on nyt: Työn alla" in text
    assert "Asentaja käy paikalla tiistaina." in text
    assert "Asentaja käy paikalla tiistaina." in html_of(message)
    link_in(text, links.base_url, "/follow/")


def test_a_public_reply_without_a_status_change_reaches_the_reporter(
        session, smtp, links, mail_sink):
    report = _report(session, language="en")
    reply = ReportEvent(report_id=report.id, kind=EventKind.COMMENT, actor="staff",
                        note="We have ordered the part.", is_public=True)
    session.add(reply)
    session.flush()
    assert _notify_update(session, smtp, links, report, reply) == 1
    message = mail_sink.messages[0]
    assert message["Subject"] == f"A reply to your report #{report.id}"
    assert "We have ordered the part." in text_of(message)


def test_fixing_sends_one_email_the_question_with_the_note_and_thanks(
        session, smtp, links, mail_sink):
    report = _report(session)
    event = change_status(session, report.id, ReportStatus.FIXED, actor="staff",
                          note="Lamppu vaihdettu.")
    # The ordinary update leaves the change to "Is it fixed?", which tells it.
    assert _notify_update(session, smtp, links, report, event) == 0
    assert ask_reporter_if_fixed(session, smtp, links, report_id=report.id,
                                 event_id=event.id) == 1
    [message] = mail_sink.messages
    text = text_of(message)
    assert "Kiitos, että autoit" in text and "Lamppu vaihdettu." in text
    assert "Kiitos, että autoit" in html_of(message)
    assert f"/fixed/reporter/{report.id}/" in text


def test_an_internal_event_sends_nothing(session, smtp, links, mail_sink):
    report = _report(session)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff",
                          note="Sisäinen: urakoitsija laskuttaa erikseen", public=False)
    assert _notify_update(session, smtp, links, report, event) == 0
    assert mail_sink.messages == []


def test_an_event_of_another_report_sends_nothing(session, smtp, links, mail_sink):
    report = _report(session)
    other = _report(session, category=report.category)
    event = change_status(session, other.id, ReportStatus.IN_PROGRESS, actor="staff")
    assert _notify_update(session, smtp, links, report, event) == 0
    assert mail_sink.messages == []


def test_reporter_mail_carries_no_contact_details_but_the_address_it_goes_to(
        session, smtp, links, mail_sink):
    report = _report(session)
    notify_reporter_of_submission(session, smtp, links, report_id=report.id, outbox_id=1)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff")
    _notify_update(session, smtp, links, report, event)
    assert len(mail_sink.messages) == 2
    for message in mail_sink.messages:
        del message["To"]  # the one place the reporter's address belongs
        everything = everything_in(message)
        assert NAME not in everything and PHONE not in everything and EMAIL not in everything

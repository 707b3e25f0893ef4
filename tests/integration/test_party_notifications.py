"""The work order email to the responsible party, through a real SMTP server."""
from __future__ import annotations

from dataclasses import replace

import pytest

from feedbackgis.mail.message import Attachment
from feedbackgis.services.notifications import report_notifications as notifications
from feedbackgis.services.notifications.report_notifications import notify_party_of_assignment

from .factories import make_category, make_party, make_report
from .mail_checks import everything_in, html_of, text_of

NAME, EMAIL, PHONE = "Aino Asukas", "aino.asukas@example.fi", "+358 40 123 4567"
CONTACT = {"name": NAME, "email": EMAIL, "phone": PHONE}


def _assigned_report(session, *, share: bool = False, contact=CONTACT, emails=None, **extra):
    party = make_party(session, emails=emails or ["valot@urakoitsija.example"])
    category = make_category(session, "streetlight", share_contact_with_party=share)
    return make_report(session, category, party=party, contact=contact, **extra)


def _notify(session, smtp, links, report, outbox_id=1):
    return notify_party_of_assignment(session, smtp, links, report_id=report.id,
                                      party_id=report.assigned_party_id, outbox_id=outbox_id)


def test_party_gets_the_work_order_with_place_map_link_and_work_order_link(
        session, smtp, links, mail_sink):
    report = _assigned_report(session, address="Mannerheimintie 1",
                              description="Valo vilkkuu")
    assert _notify(session, smtp, links, report) == 1
    [message] = mail_sink.messages
    assert message["To"] == "valot@urakoitsija.example"
    assert message["Subject"] == (
        f"Uusi ilmoitus: streetlight fi – Mannerheimintie 1 (#{report.id})")
    text = text_of(message)
    assert f"{links.base_url}/staff/reports/{report.id}" in text
    assert ("https://www.openstreetmap.org/?mlat=60.169900&mlon=24.938400"
            "#map=18/60.169900/24.938400") in text
    assert "Mannerheimintie 1 (60.16990, 24.93840)" in text
    assert "Valo vilkkuu" in text and "Valo vilkkuu" in html_of(message)


def test_a_report_without_an_address_is_placed_by_its_coordinates(
        session, smtp, links, mail_sink):
    report = _assigned_report(session, address=None)
    _notify(session, smtp, links, report)
    assert "– 60.16990, 24.93840 (#" in mail_sink.messages[0]["Subject"]


def test_every_address_of_the_party_gets_its_own_copy_once(session, smtp, links, mail_sink):
    report = _assigned_report(session, emails=["a@unit.example", "b@unit.example",
                                               " A@unit.example "])
    assert _notify(session, smtp, links, report) == 2
    assert sorted(m["To"] for m in mail_sink.messages) == ["a@unit.example", "b@unit.example"]


def test_no_reporter_contact_reaches_a_party_whose_category_does_not_allow_it(
        session, smtp, links, mail_sink):
    report = _assigned_report(session, share=False)
    _notify(session, smtp, links, report)
    everything = everything_in(mail_sink.messages[0])
    for secret in (NAME, EMAIL, PHONE, "yhteystiedot"):
        assert secret not in everything


def test_reporter_contact_reaches_the_party_when_the_category_allows_it(
        session, smtp, links, mail_sink):
    report = _assigned_report(session, share=True)
    _notify(session, smtp, links, report)
    message = mail_sink.messages[0]
    for part in (text_of(message), html_of(message)):
        assert NAME in part and EMAIL in part and PHONE in part
    # The search used above for "not there" does find it when it is there.
    assert all(value in everything_in(message) for value in (NAME, EMAIL, PHONE))


def test_only_the_contact_details_the_reporter_gave_are_shared(
        session, smtp, links, mail_sink):
    report = _assigned_report(session, share=True, contact={"phone": PHONE})
    _notify(session, smtp, links, report)
    text = text_of(mail_sink.messages[0])
    assert f"Puhelin: {PHONE}" in text
    assert "Nimi:" not in text and "Sähköposti:" not in text


def test_party_mail_is_in_the_municipalitys_default_language(session, smtp, links, mail_sink):
    report = _assigned_report(session, language="en")
    _notify(session, smtp, replace(links, default_language="sv"), report)
    message = mail_sink.messages[0]
    assert message["Subject"].startswith("Ny anmälan: streetlight sv")
    assert message["Content-Language"] == "sv"
    assert '<html lang="sv">' in html_of(message)


def test_a_report_reassigned_meanwhile_sends_nothing(session, smtp, links, mail_sink):
    report = _assigned_report(session)
    first_party = report.assigned_party_id
    report.assigned_party_id = make_party(session, emails=["uusi@example.fi"]).id
    session.flush()
    sent = notify_party_of_assignment(session, smtp, links, report_id=report.id,
                                      party_id=first_party, outbox_id=1)
    assert sent == 0 and mail_sink.messages == []


def test_a_party_without_addresses_is_sent_nothing(session, smtp, links, mail_sink):
    report = _assigned_report(session, emails=[" "])
    assert _notify(session, smtp, links, report) == 0
    assert mail_sink.messages == []


def test_photos_from_the_hook_are_attached(session, smtp, links, mail_sink,
                                           monkeypatch: pytest.MonkeyPatch):
    photo = Attachment("ilmoitus.jpg", "image/jpeg", b"\xff\xd8\xff\xe0 not really a jpeg")
    monkeypatch.setattr(notifications, "report_photo_attachments", lambda s, r, storage: [photo])
    report = _assigned_report(session)
    _notify(session, smtp, links, report)
    [attachment] = list(mail_sink.messages[0].iter_attachments())
    assert attachment.get_filename() == "ilmoitus.jpg"
    assert attachment.get_content() == photo.data


def test_a_new_assignment_of_the_same_report_is_a_new_email(session, smtp, links, mail_sink):
    report = _assigned_report(session)
    assert _notify(session, smtp, links, report, outbox_id=1) == 1
    assert _notify(session, smtp, links, report, outbox_id=1) == 0
    assert _notify(session, smtp, links, report, outbox_id=2) == 1
    assert len(mail_sink.messages) == 2

"""deliver_once against a real SMTP server on loopback."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.mail.message import OutgoingEmail
from feedbackgis.models import DeliveryStatus, Notification
from feedbackgis.services.notifications.delivery import DeliveryFailed, deliver_once


def _email(to="asukas@example.fi"):
    return OutgoingEmail(to=to, subject="Kiitos palautteesta", text="Teksti", html="<p>Teksti</p>",
                         language="fi")


def _deliver(session, smtp, key="confirmation:1:asukas@example.fi"):
    return deliver_once(session, smtp, key=key, kind="confirmation", recipient="asukas@example.fi",
                        language="fi", report_id=None, compose=_email)


def test_a_notification_is_sent_once_however_often_it_is_delivered(session, smtp, mail_sink):
    assert _deliver(session, smtp) is True
    assert _deliver(session, smtp) is False
    messages = mail_sink.wait_for(1)
    assert len(messages) == 1
    message = messages[0]
    assert message["Subject"] == "Kiitos palautteesta"
    assert message.get_body(("plain",)).get_content().strip() == "Teksti"
    assert message.get_body(("html",)).get_content().strip() == "<p>Teksti</p>"
    row = session.scalars(select(Notification)).one()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1)


def test_a_refused_message_is_recorded_and_raised_then_sent_on_retry(session, smtp, mail_sink):
    mail_sink.handler.refuse_next = 1
    with pytest.raises(DeliveryFailed) as failure:
        _deliver(session, smtp)
    row = session.scalars(select(Notification)).one()
    assert row.status is DeliveryStatus.FAILED and "451" in row.last_error
    # What reaches logs and the failed-job list: the notification and the code, no address.
    assert str(failure.value) == f"Notification {row.id} (confirmation) not delivered: SMTPDataError 451"
    assert _deliver(session, smtp) is True
    session.refresh(row)
    assert (row.status, row.attempts, len(mail_sink.wait_for(1))) == (DeliveryStatus.SENT, 2, 1)


def test_every_attempt_carries_the_same_message_id(session, smtp, mail_sink):
    mail_sink.handler.refuse_next = 1
    with pytest.raises(DeliveryFailed):
        _deliver(session, smtp, key="k-1")
    _deliver(session, smtp, key="k-1")
    _deliver(session, smtp, key="k-2")
    first, second = mail_sink.wait_for(2)
    assert first["Message-ID"] != second["Message-ID"]
    from feedbackgis.mail.message import message_id_for
    assert first["Message-ID"] == message_id_for("k-1", smtp.sender)


def test_a_rejected_address_stays_on_the_record_and_out_of_the_error_text(session, smtp, mail_sink):
    mail_sink.handler.reject_recipients = True
    with pytest.raises(DeliveryFailed) as failure:
        _deliver(session, smtp)
    assert "asukas@example.fi" not in str(failure.value)
    assert "SMTPRecipientsRefused" in str(failure.value)
    row = session.scalars(select(Notification)).one()
    assert "asukas@example.fi" in row.last_error  # for the admin, in the database only


def test_an_error_while_composing_is_the_callers_not_a_delivery_failure(session, smtp, mail_sink):
    class Gone(Exception):
        pass

    def compose():
        raise Gone  # e.g. the subscription was deleted meanwhile: nothing to send

    with pytest.raises(Gone):
        deliver_once(session, smtp, key="k-gone", kind="digest", recipient="a@example.fi",
                     language="fi", report_id=None, compose=compose)
    row = session.scalars(select(Notification)).one()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.PENDING, 0, None)
    assert mail_sink.messages == []

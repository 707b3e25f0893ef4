"""POST /api/v1/reports/<id>/followers, the follower's confirmation email and its links."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from feedbackgis.models import OutboxMessage, ReportFollower
from feedbackgis.services.subscriptions.followers import send_follower_confirmation

from .factories import make_category, make_report
from .mail_checks import link_in, text_of

ANSWER = {"status": "confirmation_sent"}


@pytest.fixture
def report(session):
    report = make_report(session, make_category(session, "pothole"), public=True)
    session.commit()
    return report


def _follow(client, report_id, email="naapuri@example.fi", language="en"):
    return client.post(f"/api/v1/reports/{report_id}/followers",
                       json={"email": email, "language": language})


def _followers(session):
    return session.scalars(select(ReportFollower)).all()


def _outbox_payloads(session):
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [(row.topic, row.payload) for row in rows]


def test_following_a_public_report_stores_an_unconfirmed_follower_and_an_outbox_row(
        client, session, report):
    response = _follow(client, report.id, email="Naapuri@Example.fi")
    assert (response.status_code, response.json) == (202, ANSWER)
    [follower] = _followers(session)
    assert (follower.report_id, follower.email, follower.language) == (
        report.id, "naapuri@example.fi", "en")
    assert follower.confirmed_at is None
    assert _outbox_payloads(session) == [("report_follower.created",
                                          {"follower_id": follower.id})]


def test_a_report_that_is_not_public_cannot_be_followed(client, session):
    hidden = make_report(session, make_category(session), public=False)
    session.commit()
    for report_id in (hidden.id, 999_999):
        response = _follow(client, report_id)
        assert response.status_code == 404 and response.json["error"] == "not_found"
    assert _followers(session) == []


def test_a_bad_email_is_refused_naming_the_field(client, report):
    response = _follow(client, report.id, email="naapuri")
    assert response.status_code == 422 and "email" in response.json["fields"]


def test_asking_again_soon_sends_no_second_confirmation(client, session, report):
    assert _follow(client, report.id).status_code == 202
    assert _follow(client, report.id).status_code == 202
    assert len(_followers(session)) == 1
    assert len(_outbox_payloads(session)) == 1


def test_asking_again_later_resends_the_confirmation_while_unconfirmed(
        client, session, smtp, links, mail_sink, report):
    _follow(client, report.id)
    [follower] = _followers(session)
    assert send_follower_confirmation(session, smtp, links, follower_id=follower.id) == 1
    follower.created_at = datetime.now(UTC) - timedelta(hours=1)
    session.commit()
    response = _follow(client, report.id, language="sv")
    assert (response.status_code, response.json) == (202, ANSWER)
    assert len(_outbox_payloads(session)) == 2
    session.expire_all()  # the request changed the row through its own session
    assert send_follower_confirmation(session, smtp, links, follower_id=follower.id) == 1
    first, second = mail_sink.wait_for(2)
    assert second["Subject"] == f"Bekräfta att du följer anmälan #{report.id}"
    # Both links work: the token did not change, only the request's time.
    assert link_in(text_of(first), links.base_url, "/confirm/follower/").split("?")[0] == (
        link_in(text_of(second), links.base_url, "/confirm/follower/").split("?")[0])


def test_a_confirmed_follower_asking_again_gets_nothing_new(client, session, report):
    _follow(client, report.id)
    follower = _followers(session)[0]
    follower.confirmed_at = datetime.now(UTC)
    follower.created_at = datetime.now(UTC) - timedelta(days=30)
    session.commit()
    assert _follow(client, report.id).json == ANSWER
    assert len(_outbox_payloads(session)) == 1


def test_the_confirmation_email_confirms_and_the_shared_unsubscribe_link_deletes(
        app, client, session, smtp, links, mail_sink, report):
    _follow(client, report.id)
    [follower] = _followers(session)
    assert send_follower_confirmation(session, smtp, links, follower_id=follower.id) == 1
    [message] = mail_sink.wait_for(1)
    text = text_of(message)
    assert message["Subject"] == f"Confirm that you follow report #{report.id}"
    assert "pothole en" in text and "ignore this message" in text
    confirm = link_in(text, links.base_url, "/confirm/follower/")
    unsubscribe = link_in(text, links.base_url, "/unsubscribe/follower/")
    # The follow-up emails of the notifications side carry the same unsubscribe link.
    assert unsubscribe == links.follower_unsubscribe(follower)
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"

    page = client.get(confirm.removeprefix(links.base_url))
    assert page.status_code == 200 and "You now follow the report" in page.get_data(as_text=True)
    session.expire_all()  # the request changed the row through its own session
    assert session.get(ReportFollower, follower.id).confirmed_at is not None
    assert send_follower_confirmation(session, smtp, links, follower_id=follower.id) == 0

    path, follower_id = unsubscribe.removeprefix(links.base_url).split("?")[0], follower.id
    assert "Stop following" in client.get(path + "?lang=en").get_data(as_text=True)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    session.expire_all()
    assert session.get(ReportFollower, follower_id) is None

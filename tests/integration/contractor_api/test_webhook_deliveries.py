"""What a webhook delivery says and to whom: the public facts, the contact only where the
category shares it, the party holding the work order, no redirects, no URL in errors."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from feedbackgis.models import EventKind, OutboxMessage, OutboxTopic, Party, ReportEvent
from feedbackgis.services.contractor_api import webhooks
from feedbackgis.services.contractor_api.webhooks import WebhookFailed, WebhookSettings
from tests.webhook_receiver import WebhookReceiver

from .world import REPORTER, as_party, two_contractors

SETTINGS = WebhookSettings(base_url="https://palaute.example.fi", language="en", timeout=3)


@pytest.fixture
def receiver():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def _with_webhook(session, party_id: int, url: str) -> str:
    return webhooks.set_webhook(session, session.get(Party, party_id), url)


def _assignment(session, world) -> bool:
    return webhooks.send_assignment(session, SETTINGS, report_id=world.order_a.id,
                                    party_id=world.a.id, outbox_id=1)


def test_the_reporters_contact_is_not_in_the_body_when_the_category_does_not_share_it(
        session, receiver):
    world = two_contractors(session, share_contact=False)
    _with_webhook(session, world.a.id, receiver.url)
    assert _assignment(session, world)
    (delivery,) = receiver.requests
    for personal in REPORTER.values():
        assert personal.encode() not in delivery.body
    body = json.loads(delivery.body)
    assert "contact" not in body
    assert body["work_order"]["address"] == "Mannerheimintie 1"
    assert body["url"] == f"https://palaute.example.fi/api/v1/work-orders/{world.order_a.id}"


def test_the_contact_is_in_the_body_where_the_category_shares_it(session, receiver):
    world = two_contractors(session, share_contact=True)
    _with_webhook(session, world.a.id, receiver.url)
    assert _assignment(session, world)
    assert json.loads(receiver.requests[0].body)["contact"] == REPORTER


def test_a_party_without_a_webhook_or_a_reassigned_report_gets_nothing(session, receiver):
    world = two_contractors(session)
    assert not _assignment(session, world)
    _with_webhook(session, world.b.id, receiver.url)
    # B's webhook is set, but the report is A's: B hears nothing of it.
    assert not webhooks.send_assignment(session, SETTINGS, report_id=world.order_a.id,
                                        party_id=world.b.id, outbox_id=1)
    assert receiver.requests == []


def test_a_public_status_change_and_a_reply_reach_the_party_holding_the_work_order(
        client, session, receiver):
    world = two_contractors(session)
    _with_webhook(session, world.a.id, receiver.url)
    as_party(client, world.token_a).post(f"/api/v1/work-orders/{world.order_a.id}/status",
                                         json={"status": "in_progress"})
    rows = session.scalars(select(OutboxMessage).where(
        OutboxMessage.topic == OutboxTopic.REPORT_STATUS_CHANGED.value)).all()
    (row,) = rows
    assert webhooks.send_update(session, SETTINGS, outbox_id=row.id, **row.payload)
    body = json.loads(receiver.requests[0].body)
    assert (body["event"], body["status"], body["change"]["to_status"]) == (
        "work_order.status_changed", "in_progress", "in_progress")
    reply = ReportEvent(report_id=world.order_a.id, kind=EventKind.REPLY, actor="Kaupunki",
                        note="Korjataan tällä viikolla", is_public=True)
    session.add(reply)
    session.commit()
    assert webhooks.send_update(session, SETTINGS, report_id=world.order_a.id,
                                event_id=reply.id, outbox_id=row.id + 1)
    replied = json.loads(receiver.requests[1].body)
    assert (replied["event"], replied["change"]["note"]) == ("work_order.replied",
                                                            "Korjataan tällä viikolla")
    assert replied["delivery_id"] != body["delivery_id"]


def test_an_internal_event_is_never_sent(session, receiver):
    world = two_contractors(session)
    _with_webhook(session, world.a.id, receiver.url)
    note = ReportEvent(report_id=world.order_a.id, kind=EventKind.NOTE, actor="Kaupunki",
                       note="Sisäinen", is_public=False)
    session.add(note)
    session.commit()
    assert not webhooks.send_update(session, SETTINGS, report_id=world.order_a.id,
                                    event_id=note.id, outbox_id=1)
    assert receiver.requests == []


def test_a_redirect_is_a_failure_and_is_not_followed(session, receiver):
    world = two_contractors(session)
    elsewhere = WebhookReceiver().start()
    try:
        receiver.redirect_to = elsewhere.url
        _with_webhook(session, world.a.id, receiver.url)
        with pytest.raises(WebhookFailed, match="HTTP 302"):
            _assignment(session, world)
        assert len(receiver.requests) == 1 and elsewhere.requests == []
    finally:
        elsewhere.stop()


def test_a_failure_names_neither_the_url_nor_the_secret(session):
    world = two_contractors(session)
    secret = _with_webhook(session, world.a.id, "http://127.0.0.1:9/hook?key=salainen")
    with pytest.raises(WebhookFailed) as failed:
        _assignment(session, world)
    assert "127.0.0.1" not in str(failed.value) and "salainen" not in str(failed.value)
    assert secret not in str(failed.value)


def test_parties_webhook_prints_a_new_secret_once_and_none_clears_it(cli, session):
    party_id = two_contractors(session).a.id
    set_once = cli("parties", "webhook", "Valaistus Oy", "https://erp.example.fi/hook")
    assert set_once.exit_code == 0, set_once.output
    secret = set_once.stdout.strip()
    party = session.get(Party, party_id)
    assert (party.webhook_url, party.webhook_secret) == ("https://erp.example.fi/hook", secret)
    again = cli("parties", "webhook", "Valaistus Oy", "https://erp.example.fi/hook").stdout
    assert again.strip() != secret
    cleared = cli("parties", "webhook", "Valaistus Oy", "none")
    assert cleared.exit_code == 0 and "no webhook" in cleared.output
    party = session.get(Party, party_id, populate_existing=True)
    assert (party.webhook_url, party.webhook_secret) == (None, None)


@pytest.mark.parametrize("url", ["ftp://erp.example.fi/hook", "file:///etc/passwd",
                                 "javascript:alert(1)", "https://", "erp.example.fi/hook",
                                 "https://erp.example.fi/a b", "https://x.fi/" + "a" * 2000])
def test_parties_webhook_takes_only_http_and_https_urls(cli, session, url):
    party_id = two_contractors(session).a.id
    refused = cli("parties", "webhook", "Valaistus Oy", url)
    assert refused.exit_code == 1 and "http" in refused.output
    assert session.get(Party, party_id, populate_existing=True).webhook_url is None


def test_the_audit_trail_keeps_the_url_without_its_query_and_never_the_secret(cli, session):
    from feedbackgis.models import AdminChange

    two_contractors(session)
    secret = cli("parties", "webhook", "Valaistus Oy",
                 "https://user:pw@erp.example.fi/hook?key=salainen").stdout.strip()
    (change,) = session.scalars(select(AdminChange).where(AdminChange.action == "webhook"))
    recorded = json.dumps([change.before, change.after])
    assert "https://erp.example.fi/hook" in recorded
    assert "salainen" not in recorded and "pw" not in recorded and secret not in recorded
    assert change.actor == "cli"

"""A party's webhook end to end: the relay, a real worker with its retries, and a receiver
on loopback that fails twice before it takes the delivery."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from shapely.geometry import box
from sqlalchemy import select

from feedbackgis.extensions import db
from feedbackgis.jobs.reconcile import reconcile_all
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.models import OutboxJob, OutboxJobState, PartyKind, PublishPolicy
from feedbackgis.services.contractor_api.webhooks import set_webhook
from tests.integration.factories import make_category, make_party, make_zone
from tests.webhook_receiver import WebhookReceiver

from .helpers import REPORTER_EMAIL, submit


@pytest.fixture
def receiver():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def _verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    signed = headers["X-Feedbackgis-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Feedbackgis-Signature"])


def test_an_assignment_reaches_the_webhook_after_two_failures_signed_and_with_one_delivery_id(
        app, committed, redis_server, drain, receiver):
    party = make_party(committed, "Valaistus Oy", kind=PartyKind.CONTRACTOR)  # no emails
    make_zone(committed, party, box(24.0, 60.0, 25.5, 60.6))
    make_category(committed, "streetlight", publish_policy=PublishPolicy.IMMEDIATE)
    committed.commit()
    secret = set_webhook(committed, party, receiver.url)
    receiver.fail_next = 2
    report = submit(app, email=REPORTER_EMAIL)
    relay_batch(db.session_factory(), redis_server.client(), app.config)

    drain(lambda: len(receiver.accepted()) == 1)
    attempts = receiver.requests
    assert [a.answered for a in attempts] == [500, 500, 204]  # retried by RQ, then taken
    assert len({a.headers["X-Feedbackgis-Delivery"] for a in attempts}) == 1
    assert all(_verifies(secret, a.headers, a.body) for a in attempts)
    assert not _verifies("another secret", attempts[0].headers, attempts[0].body)
    delivered = json.loads(attempts[-1].body)
    assert (delivered["event"], delivered["report_id"], delivered["status"]) == (
        "work_order.assigned", report["id"], "assigned")
    assert delivered["delivery_id"] == attempts[0].headers["X-Feedbackgis-Delivery"]
    assert REPORTER_EMAIL.encode() not in attempts[-1].body and "contact" not in delivered
    reconcile_all(db.session_factory(), redis_server.client(), app.config)
    webhook_job = committed.scalars(select(OutboxJob).where(
        OutboxJob.function.like("%.notify_party_webhook_of_assignment"))).one()
    assert webhook_job.state is OutboxJobState.DONE

"""The Open311 sending jobs for real: the outbox relay, an RQ worker with its retries, the
party's system on loopback failing before it takes the report; retries used up leave the
delivery FAILED on the admin page, whose "send again" sends it; the scheduled pull."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.domain.permissions import Role
from feedbackgis.extensions import db
from feedbackgis.jobs.open311_sending import pull_open311_updates, send_report_to_party_open311
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.jobs.schedule import PERIODIC
from feedbackgis.models import OutboxMessage, OutboxTopic, Party
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.open311 import pulling
from feedbackgis.services.outbox import record_side_effect
from tests.integration.jobs.conftest import drain, redis_server  # noqa: F401 - fixtures
from tests.integration.staff.signing_in import english_client, make_staff_user
from tests.integration.staff.staff_world import csrf, sign_in_as
from tests.open311_server import Open311Server

from .sending_world import party_with_open311, sending_world


@pytest.fixture
def server():
    server = Open311Server().start()
    yield server
    server.stop()


def _assigned(session, world) -> None:
    """As assignment records it: the outbox row of REPORT_ASSIGNED, relayed to RQ."""
    record_side_effect(session, OutboxTopic.REPORT_ASSIGNED, report_id=world.report.id,
                       party_id=world.party.id)
    session.commit()


def _relay(app, redis_server) -> None:  # noqa: F811 - the fixture's value
    relay_batch(db.session_factory(), redis_server.client(), app.config)


def _delivery(session) -> Open311Delivery:
    session.expire_all()
    return session.scalars(select(Open311Delivery)).one()


def _state(session) -> DeliveryState | None:
    session.expire_all()
    return session.scalar(select(Open311Delivery.state))


def test_a_refused_post_is_retried_by_the_worker_then_sent_once_and_a_rerun_sends_nothing(
        app, committed, redis_server, drain, server):  # noqa: F811
    world = sending_world(committed, server)
    server.fail_next = 2
    _assigned(committed, world)
    _relay(app, redis_server)
    drain(lambda: len(server.taken()) == 1)
    assert [post.answered for post in server.posts] == [500, 500, 201]
    delivery = _delivery(committed)
    assert (delivery.state, delivery.attempts, delivery.service_request_id) == (
        DeliveryState.SENT, 3, "SR-1")
    with app.app_context():  # the same job again (a duplicate, a re-drive): nothing sent
        assert send_report_to_party_open311(world.report.id, world.party.id) is False
    assert len(server.posts) == 3


def test_retries_used_up_leave_it_failed_on_the_admin_page_and_send_again_sends_it(
        app, committed, redis_server, drain, server):  # noqa: F811
    world = sending_world(committed, server)
    server.fail_next = 100
    _assigned(committed, world)
    _relay(app, redis_server)
    drain(lambda: _state(committed) is DeliveryState.FAILED)
    retries = len(app.config["JOB_RETRY_INTERVALS"].split(","))
    assert len(server.posts) == retries + 1 and server.taken() == []
    delivery = _delivery(committed)
    assert delivery.attempts == retries + 1
    assert "HTTP 500: 500 Database unavailable" in delivery.last_error

    client = english_client(app)
    sign_in_as(client, make_staff_user(committed, role=Role.ADMIN))
    page = client.get("/admin/open311-deliveries").get_data(as_text=True)
    assert f"#{world.report.id}" in page and "Failed" in page
    assert "Database unavailable" in page and server.api_key not in page
    server.fail_next = 0
    answer = client.post("/admin/open311-deliveries/send-again",
                         data={"delivery": delivery.id,
                               "csrf_token": csrf(client, "/admin/open311-deliveries")})
    assert answer.status_code == 303
    assert committed.scalars(select(OutboxMessage.topic).order_by(OutboxMessage.id.desc())
                             ).first() == OutboxTopic.OPEN311_SEND_AGAIN.value
    assert _delivery(committed).state is DeliveryState.PENDING
    _relay(app, redis_server)
    drain(lambda: len(server.taken()) == 1)
    assert _delivery(committed).state is DeliveryState.SENT
    page = client.get("/admin/open311-deliveries").get_data(as_text=True)
    assert "Every delivery has been sent." in page and "SR-1" in page


def test_send_again_refuses_a_delivery_that_did_not_fail(app, committed, server):
    world = sending_world(committed, server)
    with app.app_context():
        assert send_report_to_party_open311(world.report.id, world.party.id)
    client = english_client(app)
    sign_in_as(client, make_staff_user(committed, role=Role.ADMIN))
    answer = client.post("/admin/open311-deliveries/send-again",
                         data={"delivery": _delivery(committed).id,
                               "csrf_token": csrf(client, "/admin/open311-deliveries")})
    assert answer.status_code == 409
    assert "only a failed one, or one left waiting" in answer.get_data(as_text=True)
    no_csrf = client.post("/admin/open311-deliveries/send-again",
                          data={"delivery": _delivery(committed).id})
    assert no_csrf.status_code == 400
    assert committed.scalars(select(OutboxMessage).where(
        OutboxMessage.topic == OutboxTopic.OPEN311_SEND_AGAIN.value)).all() == []


def test_the_pull_is_scheduled_and_runs_only_in_its_minutes_unless_forced(
        app, committed, server, monkeypatch):
    periodic = next(p for p in PERIODIC if p.function is pull_open311_updates)
    assert periodic.cron == "* * * * *"
    world = sending_world(committed, server)
    with app.app_context():
        assert send_report_to_party_open311(world.report.id, world.party.id)
        monkeypatch.setitem(app.config, "OPEN311_PULL_MINUTES", 10**9)  # not this minute
        assert pull_open311_updates()["parties"] == 0
        totals = pull_open311_updates(force=True)
    assert (totals["parties"], totals["failed"]) == (1, 0)
    assert any(path.endswith("/servicerequestupdates.json") for path, _ in server.gets)


def test_one_partys_broken_pull_is_recorded_and_the_others_pulled_shown_to_admins(
        app, committed, server, monkeypatch):
    broken_world = sending_world(committed, server)
    other_server = Open311Server().start()
    try:
        working = party_with_open311(committed, other_server, "Toinen Oy")
        real = pulling._resolve_tokens

        def breaking(session, party, timeout):
            if party.id == broken_world.party.id:
                raise RuntimeError("a bug of ours")
            return real(session, party, timeout)

        monkeypatch.setattr(pulling, "_resolve_tokens", breaking)
        with app.app_context():
            assert send_report_to_party_open311(broken_world.report.id, broken_world.party.id)
            totals = pull_open311_updates(force=True)
    finally:
        other_server.stop()
    assert (totals["parties"], totals["failed"]) == (2, 1)
    committed.expire_all()
    broken, fine = (committed.get(Party, p.id) for p in (broken_world.party, working))
    assert "RuntimeError" in broken.open311_pull_error and broken.open311_pulled_at is None
    assert fine.open311_pulled_at is not None and fine.open311_pull_error is None

    client = english_client(app)
    sign_in_as(client, make_staff_user(committed, role=Role.ADMIN))
    page = client.get("/admin/open311-deliveries").get_data(as_text=True)
    assert "Updates last fetched" in page and "Last error" in page
    assert "RuntimeError" in page and server.api_key not in page

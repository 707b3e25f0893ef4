"""Sending to a party's own Open311 system, mended: any failure recorded (none left pending
without a word), a stale pending one sent again, the Idempotency-Key on every attempt (a
retry after a timeout makes no second request), the answer capped (in size and time), the party's key never in
last_error, and a report assigned to the party again sent again."""
from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import Conflict
from feedbackgis.models import EventKind, OutboxMessage, OutboxTopic, ReportEvent
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.open311 import sending
from feedbackgis.services.open311.deliveries import DELIVERY_STALE, send_again
from feedbackgis.services.open311.party_system import (
    ANSWER_MAX_BYTES,
    Open311CallFailed,
    read_capped,
    redacted,
)
from feedbackgis.services.open311.sending import send_report
from tests.open311_server import Open311Server

from .sending_world import SETTINGS, sending_world


@pytest.fixture
def server():
    server = Open311Server().start()
    yield server
    server.stop()


def _send(session, world, *, settings=SETTINGS, last_attempt: bool = True) -> bool:
    return send_report(session, settings, report_id=world.report.id, party_id=world.party.id,
                       last_attempt=last_attempt)


def _delivery(session, world) -> Open311Delivery:
    session.expire_all()
    return session.scalars(select(Open311Delivery).where(
        Open311Delivery.report_id == world.report.id)).one()


def _assigned(session, world, at: datetime) -> ReportEvent:
    """An assignment to the world's party at `at` (the tests' transaction has one now())."""
    event = ReportEvent(report_id=world.report.id, kind=EventKind.ASSIGNED, actor="Routing",
                        from_status=ReportStatus.TRIAGE, to_status=ReportStatus.ASSIGNED,
                        data={"party_id": world.party.id}, created_at=at)
    session.add(event)
    session.commit()
    return event


def test_an_error_of_any_kind_is_recorded_on_the_row_and_raised(session, server, monkeypatch):
    world = sending_world(session, server)

    def broken(*args, **kwargs):
        raise RuntimeError("the form could not be built " + "y" * 5000)

    monkeypatch.setattr(sending, "request_form", broken)
    with pytest.raises(RuntimeError):
        _send(session, world, last_attempt=False)
    delivery = _delivery(session, world)
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
    assert delivery.last_error.startswith("the form could not be built")
    assert len(delivery.last_error) <= sending.ERROR_TEXT_LIMIT
    with pytest.raises(RuntimeError):
        _send(session, world, last_attempt=True)
    assert _delivery(session, world).state is DeliveryState.FAILED
    assert server.posts == []


def test_a_pending_row_untouched_for_a_quarter_of_an_hour_may_be_sent_again(session, server):
    world = sending_world(session, server)
    session.add(Open311Delivery(report_id=world.report.id, party_id=world.party.id,
                                state=DeliveryState.PENDING,
                                updated_at=datetime.now(UTC) - timedelta(minutes=1)))
    session.commit()
    delivery = _delivery(session, world)
    with pytest.raises(Conflict, match="still being tried; it can be sent again once it "
                                        "has waited 15 minutes"):
        send_again(session, delivery.id)
    session.rollback()
    delivery = _delivery(session, world)
    delivery.updated_at = datetime.now(UTC) - DELIVERY_STALE - timedelta(minutes=1)
    session.commit()
    send_again(session, delivery.id)
    assert _delivery(session, world).state is DeliveryState.PENDING
    assert session.scalars(select(OutboxMessage.topic)).all() == [
        OutboxTopic.OPEN311_SEND_AGAIN.value]


def test_every_attempt_carries_the_same_idempotency_key_and_a_timed_out_one_is_not_doubled(
        session, server):
    world = sending_world(session, server)
    assignment = _assigned(session, world, datetime.now(UTC) - timedelta(minutes=1))
    quick = dataclasses.replace(SETTINGS, timeout=0.5)
    server.delay_next = 1.5  # their system makes the request, the answer comes too late
    with pytest.raises(Open311CallFailed, match="ReadTimeout"):
        _send(session, world, settings=quick, last_attempt=False)
    assert _send(session, world, settings=quick)
    key = f"feedbackgis-{world.report.id}-{world.party.id}-{assignment.id}"
    assert [post.headers.get("Idempotency-Key") for post in server.posts] == [key, key]
    assert len(server.taken()) == 1  # the retry got the request made the first time
    assert _delivery(session, world).service_request_id == "SR-1"


def test_an_answer_over_the_cap_is_a_failure_not_read_whole(session, server):
    world = sending_world(session, server)
    server.answer_padding = 2 * ANSWER_MAX_BYTES
    with pytest.raises(Open311CallFailed, match=f"more than {ANSWER_MAX_BYTES} bytes"):
        _send(session, world)
    delivery = _delivery(session, world)
    assert delivery.state is DeliveryState.FAILED
    assert "more than" in delivery.last_error


def test_the_partys_key_quoted_back_by_its_system_is_not_kept(session, server):
    world = sending_world(session, server)
    server.refuse_with = f"The api_key {server.api_key} may not post SL-01"
    with pytest.raises(Open311CallFailed) as raised:
        _send(session, world)
    assert server.api_key not in str(raised.value)
    last_error = _delivery(session, world).last_error
    assert server.api_key not in last_error
    assert "The api_key [api_key] may not post SL-01" in last_error


def test_the_key_is_taken_out_of_an_error_before_it_is_cut_and_when_url_encoded(
        session, server):
    world = sending_world(session, server)
    party = world.party
    party.open311_api_key = "k+ey/with=signs"
    text = "x" * 495 + party.open311_api_key + " then api_key=k%2Bey%2Fwith%3Dsigns"
    cleaned = redacted(party, text)
    assert "k+ey" not in cleaned and "k%2Bey" not in cleaned
    assert cleaned == "x" * 495 + "[api_"  # the key out first, then the cut
    assert redacted(party, "api_key=k%2Bey%2Fwith%3Dsigns") == "api_key=[api_key]"


def test_a_report_assigned_to_the_party_again_is_sent_again_once(session, server):
    world = sending_world(session, server)
    first = _assigned(session, world, datetime.now(UTC) - timedelta(minutes=5))
    assert _send(session, world)
    assert not _send(session, world)  # the same assignment: sent already
    sent_at = _delivery(session, world).sent_at
    # Their system referred it back (to triage); the city gives it to them again.
    again = _assigned(session, world, datetime.now(UTC))
    assert again.created_at > sent_at
    assert _send(session, world)
    assert not _send(session, world)
    delivery = _delivery(session, world)
    assert (delivery.state, delivery.service_request_id) == (DeliveryState.SENT, "SR-2")
    assert delivery.sent_at > sent_at
    assert "the earlier request was SR-1" in delivery.last_error
    assert [post.headers["Idempotency-Key"].rsplit("-", 1)[1] for post in server.posts] == [
        str(first.id), str(again.id)]


class _Trickle:
    """A streamed answer without a Content-Length, its chunks `pause` seconds apart."""

    headers: dict[str, str] = {}

    def __init__(self, chunks: int, size: int, pause: float) -> None:
        self.chunks, self.size, self.pause = chunks, size, pause

    def iter_content(self, _chunk_size: int):
        for _ in range(self.chunks):
            time.sleep(self.pause)
            yield b"x" * self.size


def test_an_answer_is_read_within_one_deadline_and_the_cap_without_a_length():
    with pytest.raises(Exception, match="not read whole within 0.3 s"):
        read_capped(_Trickle(chunks=10, size=10, pause=0.1), 0.3)
    with pytest.raises(Exception, match="more than 100 bytes"):
        read_capped(_Trickle(chunks=3, size=60, pause=0), 5, max_bytes=100)
    assert read_capped(_Trickle(chunks=2, size=50, pause=0), 5, max_bytes=100) == b"x" * 100

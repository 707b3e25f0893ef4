"""Sending a report to its party's own Open311 system, and pulling that system's updates
back: against a real Open311 server on loopback (tests/open311_server.py), the service
functions called directly (the jobs with a real worker: test_open311_sending_jobs.py)."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import EventKind, Party, ReportEvent
from feedbackgis.models.open311 import DeliveryState, Open311Delivery
from feedbackgis.services.open311.party_system import Open311CallFailed
from feedbackgis.services.open311.pulling import pull_party
from feedbackgis.services.open311.sending import send_report
from tests.integration.factories import make_party
from tests.open311_server import Open311Server

from .sending_world import REPORTER, SETTINGS, add_photo, party_with_open311, sending_world


@pytest.fixture
def server():
    server = Open311Server().start()
    yield server
    server.stop()


def _send(session, world, *, last_attempt: bool = True) -> bool:
    return send_report(session, SETTINGS, report_id=world.report.id, party_id=world.party.id,
                       last_attempt=last_attempt)


def _delivery(session, world) -> Open311Delivery:
    session.expire_all()
    return session.scalars(select(Open311Delivery).where(
        Open311Delivery.report_id == world.report.id)).one()


def test_a_report_is_sent_with_the_mapped_code_place_answers_and_photo_but_no_contact(
        session, server):
    world = sending_world(session, server, share_contact=False)
    photo = add_photo(session, world.report)
    add_photo(session, world.report, hidden=True)
    assert _send(session, world)
    (post,) = server.posts
    form = post.form
    assert form["api_key"] == server.api_key and form["jurisdiction_id"] == "city.example"
    assert form["service_code"] == "SL-01"
    assert (float(form["lat"]), float(form["long"])) == pytest.approx((60.1699, 24.9384))
    assert form["address_string"] == "Mannerheimintie 1"
    assert form["description"] == "Katuvalo ei pala"
    assert (form["attribute[pole]"], form["attribute[dark_all_night]"],
            form["attribute[lamps_out]"]) == ("A-12", "true", "3")
    assert form["media_url"] == f"https://palaute.example.fi/photos/{photo.id}.jpg"
    for personal in ("email", "first_name", "last_name", "phone"):
        assert personal not in form
    assert not any(value in str(form) for value in REPORTER.values())
    delivery = _delivery(session, world)
    assert (delivery.state, delivery.service_request_id, delivery.attempts) == (
        DeliveryState.SENT, "SR-1", 1)
    assert delivery.sent_at is not None and delivery.last_error is None


def test_the_contact_is_sent_where_the_category_shares_it_and_no_photo_of_a_hidden_report(
        session, server):
    world = sending_world(session, server, share_contact=True)
    world.report.is_public = False
    session.commit()
    add_photo(session, world.report)
    assert _send(session, world)
    form = server.posts[0].form
    assert (form["email"], form["phone"]) == (REPORTER["email"], REPORTER["phone"])
    assert (form["first_name"], form["last_name"]) == ("Asta", "Maria Asukas")
    assert "media_url" not in form  # its URL would answer 404 to the party's system


def test_a_delivery_made_once_is_not_made_again_and_a_reassigned_report_is_not_sent(
        session, server):
    world = sending_world(session, server)
    assert _send(session, world)
    assert not _send(session, world)
    assert len(server.posts) == 1
    other = make_party(session, "Toinen Oy")
    world.report.assigned_party_id = other.id
    session.commit()
    second = party_with_open311(session, server, "Kolmas Oy")
    assert not send_report(session, SETTINGS, report_id=world.report.id, party_id=second.id,
                           last_attempt=True)
    assert len(server.posts) == 1
    assert session.scalar(select(func.count()).select_from(Open311Delivery).where(
        Open311Delivery.party_id == second.id)) == 0


def test_a_failure_is_recorded_and_raised_then_failed_on_the_last_attempt(
        session, server, caplog):
    caplog.set_level(logging.DEBUG)
    world = sending_world(session, server)
    server.refuse_with = "Unknown service_code SL-01"
    with pytest.raises(Open311CallFailed) as raised:
        _send(session, world, last_attempt=False)
    assert "HTTP 400" in str(raised.value) and server.api_key not in str(raised.value)
    delivery = _delivery(session, world)
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)
    assert "Unknown service_code SL-01" in delivery.last_error
    with pytest.raises(Open311CallFailed):
        _send(session, world, last_attempt=True)
    delivery = _delivery(session, world)
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 2)
    assert "failed for good" in caplog.text and server.api_key not in caplog.text
    server.refuse_with = None
    assert _send(session, world)
    delivery = _delivery(session, world)
    assert (delivery.state, delivery.attempts, delivery.last_error) == (
        DeliveryState.SENT, 3, None)


def test_a_token_answered_is_resolved_to_the_systems_id_when_the_pull_runs(session, server):
    server.answer_tokens = True
    world = sending_world(session, server)
    assert _send(session, world)
    delivery = _delivery(session, world)
    assert (delivery.token, delivery.service_request_id) == ("tok-1", None)
    now = datetime.now(UTC)
    assert pull_party(session, world.party.id, timeout=3, now=now,
                      time_zone="Europe/Helsinki").tokens_resolved == 0  # not created yet
    server.create_pending()
    outcome = pull_party(session, world.party.id, timeout=3, now=now,
                         time_zone="Europe/Helsinki")
    assert outcome.tokens_resolved == 1
    assert _delivery(session, world).service_request_id == "SR-T1"


def _update(update_id: str, request_id: str, at: datetime, status: str | None,
            description: str | None) -> dict:
    return {"update_id": update_id, "service_request_id": request_id, "status": status,
            "description": description, "updated_datetime": at.isoformat(), "media_url": ""}


def _events(session, report_id: int) -> list[ReportEvent]:
    session.expire_all()
    return list(session.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id)
                                .order_by(ReportEvent.id)))


def test_the_pull_applies_a_status_change_and_a_reply_once_and_moves_the_mark(session, server):
    world = sending_world(session, server)
    assert _send(session, world)
    sent_at = _delivery(session, world).sent_at
    server.updates = [
        _update("u1", "SR-1", sent_at + timedelta(seconds=5), "IN_PROGRESS", "Työ alkoi"),
        _update("u2", "SR-1", sent_at + timedelta(seconds=6), None, "Lamppu vaihdetaan"),
        _update("u3", "SR-999", sent_at + timedelta(seconds=7), "FIXED", "Ei meidän"),
        _update("u4", "SR-1", sent_at + timedelta(seconds=8), "DUPLICATE", "Kaksoiskappale"),
    ]
    before = len(_events(session, world.report.id))
    now = sent_at + timedelta(minutes=10)
    outcome = pull_party(session, world.party.id, timeout=3, now=now,
                         time_zone="Europe/Helsinki")
    assert (outcome.applied, outcome.skipped, outcome.failed) == (2, 2, False)
    report = session.get(type(world.report), world.report.id)
    assert report.status is ReportStatus.IN_PROGRESS
    made = _events(session, world.report.id)[before:]
    assert [(e.kind, e.note, e.is_public) for e in made] == [
        (EventKind.STATUS_CHANGED, "Työ alkoi", True), (EventKind.REPLY, "Lamppu vaihdetaan", True)]
    mark = session.get(Party, world.party.id).open311_updates_until
    # The newest update, earlier than OVERLAP before now: read again next time.
    assert mark == sent_at + timedelta(seconds=8)
    path, query = server.gets[-1]
    assert path.endswith("/servicerequestupdates.json")
    assert (query["api_key"], query["jurisdiction_id"]) == (server.api_key, "city.example")

    again = pull_party(session, world.party.id, timeout=3, now=now + timedelta(minutes=1),
                       time_zone="Europe/Helsinki")
    assert again.applied + again.skipped <= 2  # the overlap reads the last updates again
    assert len(_events(session, world.report.id)) == before + 2
    assert session.get(Party, world.party.id).open311_updates_until >= mark


def test_a_system_that_does_not_answer_leaves_the_mark_where_it_was(session, server, caplog):
    world = sending_world(session, server)
    assert _send(session, world)
    party = session.get(Party, world.party.id)
    party.open311_api_key = "a-key-it-refuses"
    session.commit()
    outcome = pull_party(session, world.party.id, timeout=3,
                         now=datetime.now(UTC) + timedelta(minutes=1),
                         time_zone="Europe/Helsinki")
    assert outcome.failed
    assert "HTTP 403" in caplog.text and "a-key-it-refuses" not in caplog.text
    session.expire_all()
    assert session.get(Party, world.party.id).open311_updates_until is None

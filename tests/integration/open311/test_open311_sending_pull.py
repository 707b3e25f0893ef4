"""Pulling a party's Open311 system's updates back, mended: an update recorded a moment late
is still read, a poisonous update is skipped and the rest applied, each pull recorded on the
party (cleared on success), tokens that never resolve do not hold up newer ones, and the ids
of a previous system never match the new system's updates."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import Party, Report, ReportEvent
from feedbackgis.models.open311 import Open311Delivery
from feedbackgis.services.catalog.party_open311 import Open311Settings, set_party_open311
from feedbackgis.services.open311 import pulling
from feedbackgis.services.open311.pulling import pull_party
from feedbackgis.services.open311.sending import send_report
from tests.integration.factories import make_report
from tests.open311_server import Open311Server

from .sending_world import SETTINGS, sending_world

ZONE = "Europe/Helsinki"


@pytest.fixture
def server():
    server = Open311Server().start()
    yield server
    server.stop()


def _sent_at(session, world, report_id: int | None = None) -> datetime:
    report_id = report_id or world.report.id
    assert send_report(session, SETTINGS, report_id=report_id, party_id=world.party.id,
                       last_attempt=True)
    session.expire_all()
    return session.scalars(select(Open311Delivery.sent_at).where(
        Open311Delivery.report_id == report_id)).one()


def _update(uid: str, at: datetime | str, *, status: str | None = None,
            description: object = "ok", **more: object) -> dict:
    return {"update_id": uid, "service_request_id": "SR-1", "status": status,
            "description": description, "media_url": "",
            "updated_datetime": at if isinstance(at, str) else at.isoformat(), **more}


def _pull(session, world, now: datetime, **kwargs) -> pulling.PullOutcome:
    return pull_party(session, world.party.id, timeout=3, now=now, time_zone=ZONE, **kwargs)


def _notes(session, report_id: int) -> list[str | None]:
    session.expire_all()
    return list(session.scalars(select(ReportEvent.note).where(
        ReportEvent.report_id == report_id).order_by(ReportEvent.id)))


def _party(session, world) -> Party:
    session.expire_all()
    return session.get(Party, world.party.id)


def test_an_update_the_other_side_records_a_moment_late_is_still_read(session, server):
    world = sending_world(session, server)
    now = _sent_at(session, world) + timedelta(minutes=10)
    server.updates = [_update("u1", now - timedelta(seconds=1), description="first")]
    assert _pull(session, world, now).applied == 1
    assert _party(session, world).open311_updates_until == now - pulling.OVERLAP
    # Made two minutes before that pull, recorded there after it.
    server.updates.append(_update("u2", now - timedelta(minutes=2), description="late reply"))
    again = _pull(session, world, now + timedelta(minutes=1))
    assert again.applied == 2  # u1 read again (applied once: the same event), and u2
    notes = _notes(session, world.report.id)
    assert notes.count("first") == 1 and "late reply" in notes


@pytest.mark.parametrize("bad", [
    {"media_url": "http://x.example/\u0000a.jpg"},
    {"update_id": "u\u0000bad", "description": "NUL in the id"},
    {"service_request_id": "SR-\u00001"},
])
def test_control_characters_in_an_update_are_cleaned_and_the_rest_applied(
        session, server, bad):
    world = sending_world(session, server)
    sent_at = _sent_at(session, world)
    server.updates = [{**_update("u1", sent_at + timedelta(seconds=5)), **bad},
                      _update("u2", sent_at + timedelta(seconds=6), description="after")]
    outcome = _pull(session, world, sent_at + timedelta(minutes=10))
    assert (outcome.failed, outcome.applied) == (False, 2)
    assert "after" in _notes(session, world.report.id)
    assert _party(session, world).open311_pull_error is None


def test_a_description_that_is_not_text_is_not_its_repr(session, server):
    world = sending_world(session, server)
    sent_at = _sent_at(session, world)
    server.updates = [_update("u1", sent_at + timedelta(seconds=5), status="IN_PROGRESS",
                              description={"nested": "dict"})]
    assert _pull(session, world, sent_at + timedelta(minutes=10)).applied == 1
    session.expire_all()
    assert session.get(Report, world.report.id).status is ReportStatus.IN_PROGRESS
    assert not any("nested" in (note or "") for note in _notes(session, world.report.id))


def test_a_time_without_an_offset_is_the_municipalitys_local_time(session, server):
    world = sending_world(session, server)
    sent_at = _sent_at(session, world)
    made = (sent_at + timedelta(seconds=8)).replace(microsecond=0)
    local = made.astimezone(ZoneInfo(ZONE)).replace(tzinfo=None).isoformat()
    server.updates = [_update("u1", local, description="local time")]
    assert _pull(session, world, sent_at + timedelta(minutes=10)).applied == 1
    assert _party(session, world).open311_updates_until == made


def test_a_database_refusal_skips_the_update_not_the_pull(session, server, monkeypatch):
    world = sending_world(session, server)
    sent_at = _sent_at(session, world)
    server.updates = [_update("u1", sent_at + timedelta(seconds=5), description="refused"),
                      _update("u2", sent_at + timedelta(seconds=6), description="taken")]
    real = pulling.apply_received_update
    seen: list[int] = []

    def refusing(session_, sender, report_id, update, **kwargs):
        seen.append(kwargs["fix_check_days"])
        if update.update_id == "u1":  # as the database refuses a value it cannot store
            session_.execute(select(1).where(ReportEvent.note == "\u0000"))
        return real(session_, sender, report_id, update, **kwargs)

    monkeypatch.setattr(pulling, "apply_received_update", refusing)
    outcome = _pull(session, world, sent_at + timedelta(minutes=10), fix_check_days=3)
    assert (outcome.failed, outcome.applied, outcome.skipped) == (False, 1, 1)
    assert "taken" in _notes(session, world.report.id)
    assert seen == [3, 3]  # FIX_CHECK_DAYS reaches the status change


def test_a_token_answered_with_a_nul_in_its_id_is_resolved_cleaned(session, server):
    server.answer_tokens = True
    world = sending_world(session, server)
    sent_at = _sent_at(session, world)
    server.tokens["tok-1"] = "SR-\u0000T1"
    outcome = _pull(session, world, sent_at + timedelta(minutes=1))
    assert (outcome.failed, outcome.tokens_resolved) == (False, 1)
    session.expire_all()
    assert session.scalars(select(Open311Delivery.service_request_id)).one() == "SR-T1"


def test_tokens_that_never_resolve_do_not_hold_up_newer_ones(session, server, monkeypatch):
    monkeypatch.setattr(pulling, "TOKENS_PER_PULL", 1)
    server.answer_tokens = True
    world = sending_world(session, server)
    second = make_report(session, world.report.category, party=world.party)
    session.commit()
    _sent_at(session, world)
    now = _sent_at(session, world, second.id) + timedelta(minutes=1)
    del server.tokens["tok-1"]  # their system lost it: 404 for ever
    server.create_pending()  # tok-2 has its id
    assert _pull(session, world, now).tokens_resolved == 0  # tok-1 asked first
    assert _pull(session, world, now).tokens_resolved == 1  # then tok-2's turn
    session.expire_all()
    assert session.scalars(select(Open311Delivery.service_request_id).where(
        Open311Delivery.report_id == second.id)).one() == server.tokens["tok-2"]


def test_each_pull_is_recorded_on_the_party_its_error_without_the_key(session, server):
    world = sending_world(session, server)
    sent_at = _sent_at(session, world)
    party = _party(session, world)
    party.open311_api_key = "a-key-it-refuses"
    session.commit()
    assert _pull(session, world, sent_at + timedelta(minutes=1)).failed
    party = _party(session, world)
    assert party.open311_pulled_at is None and party.open311_pull_error_at is not None
    assert "HTTP 403" in party.open311_pull_error
    assert "a-key-it-refuses" not in party.open311_pull_error
    assert server.url not in party.open311_pull_error
    party.open311_api_key = server.api_key
    session.commit()
    assert not _pull(session, world, sent_at + timedelta(minutes=2)).failed
    party = _party(session, world)
    assert party.open311_pulled_at is not None
    assert (party.open311_pull_error, party.open311_pull_error_at) == (None, None)


def test_a_new_systems_ids_never_match_reports_sent_to_the_previous_one(session, server):
    world = sending_world(session, server)
    sent_at = _sent_at(session, world)
    other = Open311Server(api_key=server.api_key).start()
    try:
        set_party_open311(session, world.party, Open311Settings(
            url=other.url, jurisdiction_id="city.example"))
        session.expire_all()
        delivery = session.scalars(select(Open311Delivery)).one()
        assert (delivery.service_request_id, delivery.token) == (None, None)
        assert "previous system" in delivery.last_error and "SR-1" in delivery.last_error
        # The new system's own SR-1 is another request altogether.
        other.updates = [_update("n1", sent_at + timedelta(seconds=5), status="FIXED",
                                 description="someone else's")]
        outcome = _pull(session, world, sent_at + timedelta(minutes=10))
    finally:
        other.stop()
    assert (outcome.applied, outcome.skipped) == (0, 1)
    assert "someone else's" not in _notes(session, world.report.id)


def test_two_long_update_ids_alike_in_their_first_200_characters_are_not_taken_for_one(
        session, server):
    world = sending_world(session, server)
    sent_at = _sent_at(session, world)
    stem = "u" * 200
    server.updates = [_update(stem + "-1", sent_at + timedelta(seconds=5), description="first"),
                      _update(stem + "-2", sent_at + timedelta(seconds=6), description="second"),
                      _update("short", sent_at + timedelta(seconds=7), description="third")]
    outcome = _pull(session, world, sent_at + timedelta(minutes=10))
    # An id longer than we keep is refused (logged, skipped), never cut into another's.
    assert (outcome.applied, outcome.skipped) == (1, 2)
    notes = _notes(session, world.report.id)
    assert "third" in notes and "first" not in notes and "second" not in notes

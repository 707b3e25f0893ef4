"""The work-order API of contractor systems: what a party's token reads and changes."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import (
    Category,
    ContactAccess,
    EventKind,
    OutboxMessage,
    OutboxTopic,
    Photo,
    Report,
    ReportEvent,
)
from tests.integration.factories import make_report
from tests.photo_files import jpeg_bytes

from .world import REPORTER, as_party, two_contractors

API = "/api/v1/work-orders"


@pytest.fixture
def world(session):
    return two_contractors(session)


def _events(session, report_id: int, kind: EventKind) -> list[ReportEvent]:
    return list(session.scalars(select(ReportEvent).where(
        ReportEvent.report_id == report_id, ReportEvent.kind == kind).order_by(ReportEvent.id)))


def test_a_token_lists_only_its_partys_open_work_orders(client, session, world):
    done = make_report(session, world.category, party=world.a)
    done.status = ReportStatus.FIXED
    session.commit()
    answer = as_party(client, world.token_a).get(API)
    assert answer.status_code == 200, answer.json
    assert [w["id"] for w in answer.json["work_orders"]] == [world.order_a.id]
    assert answer.json["total"] == 1 and answer.headers["Cache-Control"] == "no-store"
    order = answer.json["work_orders"][0]
    assert order["status"] == "assigned" and order["address"] == "Mannerheimintie 1"
    assert order["url"].endswith(f"{API}/{world.order_a.id}")


def test_the_list_filters_by_status_and_by_the_time_of_the_last_update(client, session, world):
    older = make_report(session, world.category, party=world.a)
    older.status = ReportStatus.WAITING
    session.flush()
    now = datetime.now(UTC)
    world.order_a.updated_at, older.updated_at = now, now - timedelta(days=2)
    session.commit()
    caller = as_party(client, world.token_a)
    listed = caller.get(API).json["work_orders"]
    assert [w["id"] for w in listed] == [older.id, world.order_a.id]  # least recent first
    assert [w["id"] for w in caller.get(f"{API}?status=waiting").json["work_orders"]] == [older.id]
    since = (now - timedelta(days=1)).isoformat()
    recent = caller.get(API, query_string={"since": since}).json["work_orders"]
    assert [w["id"] for w in recent] == [world.order_a.id]
    page = caller.get(f"{API}?per_page=1&page=2").json
    assert (page["total"], [w["id"] for w in page["work_orders"]]) == (2, [world.order_a.id])


def test_another_partys_work_order_is_not_found_for_reading_or_changing(client, session, world):
    caller = as_party(client, world.token_a)
    theirs = f"{API}/{world.order_b.id}"
    answers = [caller.get(theirs), caller.post(f"{theirs}/status", json={"status": "fixed"}),
               caller.post(f"{theirs}/notes", json={"note": "Meidän nyt"}),
               caller.post(f"{theirs}/photos", data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg")},
                           content_type="multipart/form-data"),
               caller.get(f"{theirs}/photos/1")]
    assert [a.status_code for a in answers] == [404] * 5
    assert all(a.json["error"] == "not_found" for a in answers)
    assert all("B:n työ" not in a.get_data(as_text=True) for a in answers)
    assert session.get(Report, world.order_b.id).status is ReportStatus.ASSIGNED
    assert _events(session, world.order_b.id, EventKind.NOTE) == []
    assert session.scalar(select(Photo.id)) is None


def test_a_work_order_reassigned_away_is_no_longer_the_old_partys(client, session, world):
    world.order_a.assigned_party_id = world.b.id
    session.commit()
    assert as_party(client, world.token_a).get(f"{API}/{world.order_a.id}").status_code == 404
    assert as_party(client, world.token_b).get(f"{API}/{world.order_a.id}").status_code == 200


@pytest.mark.parametrize("header", [
    None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "bearer fgc_short",
    "Bearer fgc_" + "A" * 43, "Token fgc_" + "A" * 43, "Bearer \u00e4\u00e4kk\u00f6set",
])
def test_a_request_without_a_valid_token_gets_401_with_a_challenge(client, world, header):
    headers = {} if header is None else {"Authorization": header}
    answer = client.get(f"{API}/{world.order_a.id}", headers=headers)
    assert answer.status_code == 401, answer.get_data(as_text=True)
    assert answer.json["error"] == "unauthorized" and answer.json["message"]
    assert answer.headers["WWW-Authenticate"].startswith('Bearer realm="feedbackgis"')


def test_a_token_with_one_character_changed_is_refused(client, world):
    changed = world.token_a[:-1] + ("A" if world.token_a[-1] != "A" else "B")
    assert as_party(client, changed).get(API).status_code == 401
    assert as_party(client, world.token_a).get(API).status_code == 200


def test_the_token_is_taken_with_any_case_of_bearer_and_spaces_around(client, world):
    answer = client.get(API, headers={"Authorization": f"  bEaReR   {world.token_a}  "})
    assert answer.status_code == 200


def test_a_contractor_sets_the_statuses_it_may_and_the_state_machine_refuses_the_rest(
        client, session, world):
    caller = as_party(client, world.token_a)
    path = f"{API}/{world.order_a.id}/status"
    started = caller.post(path, json={"status": "in_progress"})
    assert started.status_code == 200 and started.json["status"] == "in_progress"
    for city_status in ("closed", "assigned", "rejected", "triage", "nonsense"):
        refused = caller.post(path, json={"status": city_status})
        assert refused.status_code == 422 and "status" in refused.json["fields"], city_status
    again = caller.post(path, json={"status": "in_progress"})
    assert again.status_code == 409 and again.json["error"] == "conflict"
    assert caller.post(path, json={"status": "fixed"}).status_code == 200
    assert caller.post(path, json={"status": "waiting"}).status_code == 409
    changes = _events(session, world.order_a.id, EventKind.STATUS_CHANGED)
    assert [(e.to_status, e.actor, e.is_public) for e in changes] == [
        (ReportStatus.IN_PROGRESS, "Valaistus ERP", True), (ReportStatus.FIXED, "Valaistus ERP", True)]


def test_a_status_change_is_told_like_any_public_change(client, session, world):
    as_party(client, world.token_a).post(f"{API}/{world.order_a.id}/status",
                                         json={"status": "in_progress"})
    topics = session.scalars(select(OutboxMessage.topic)).all()
    assert OutboxTopic.REPORT_STATUS_CHANGED.value in topics


def test_a_note_with_the_status_stays_internal(client, session, world):
    as_party(client, world.token_a).post(f"{API}/{world.order_a.id}/status",
                                         json={"status": "waiting", "note": "Osa tilattu"})
    notes = _events(session, world.order_a.id, EventKind.NOTE)
    assert [(n.note, n.is_public) for n in notes] == [("Osa tilattu", False)]
    (change,) = _events(session, world.order_a.id, EventKind.STATUS_CHANGED)
    assert change.note is None


def test_a_note_is_internal_named_after_the_token_and_never_public(client, session, world):
    caller = as_party(client, world.token_a)
    added = caller.post(f"{API}/{world.order_a.id}/notes", json={"note": "  Lamppu vaihdettu  "})
    assert added.status_code == 201, added.json
    assert (added.json["note"], added.json["actor"]) == ("Lamppu vaihdettu", "Valaistus ERP")
    assert added.headers["Location"].endswith(f"{API}/{world.order_a.id}")
    (note,) = _events(session, world.order_a.id, EventKind.NOTE)
    assert not note.is_public and note.data["party_id"] == world.a.id
    public = client.get(f"/api/v1/reports/{world.order_a.id}").get_data(as_text=True)
    assert "Lamppu vaihdettu" not in public
    seen = caller.get(f"{API}/{world.order_a.id}").json["events"]
    assert [(e["kind"], e["note"], e["public"]) for e in seen if e["kind"] == "note"] == [
        ("note", "Lamppu vaihdettu", False)]
    # The other party never reads it, even once the report is theirs.
    session.get(Report, world.order_a.id).assigned_party_id = world.b.id
    session.commit()
    theirs = as_party(client, world.token_b).get(f"{API}/{world.order_a.id}").json["events"]
    assert all(e["kind"] != "note" for e in theirs)


def test_the_city_staffs_internal_notes_are_not_shown_to_the_party(client, session, world):
    world.order_a.events.append(ReportEvent(kind=EventKind.NOTE, actor="Kaupunki",
                                            note="Urakoitsija myöhässä", is_public=False))
    session.commit()
    body = as_party(client, world.token_a).get(f"{API}/{world.order_a.id}").get_data(as_text=True)
    assert "Urakoitsija myöhässä" not in body


def test_a_resent_note_or_status_with_the_same_idempotency_key_is_applied_once(
        client, session, world):
    caller = as_party(client, world.token_a)
    note_path, status_path = f"{API}/{world.order_a.id}/notes", f"{API}/{world.order_a.id}/status"
    key = {"Idempotency-Key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}
    first = caller.post(note_path, json={"note": "Käyty paikalla"}, headers=key)
    second = caller.post(note_path, json={"note": "Käyty paikalla"}, headers=key)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json["id"] == second.json["id"]
    assert len(_events(session, world.order_a.id, EventKind.NOTE)) == 1
    other_body = caller.post(note_path, json={"note": "Jotain muuta"}, headers=key)
    assert other_body.status_code == 422 and "Idempotency-Key" in other_body.json["fields"]
    started = [caller.post(status_path, json={"status": "in_progress"}, headers=key)
               for _ in range(2)]
    assert [s.status_code for s in started] == [200, 200]
    assert started[1].headers["Idempotent-Replayed"] == "true"
    assert len(_events(session, world.order_a.id, EventKind.STATUS_CHANGED)) == 1


@pytest.mark.parametrize(("path", "body", "field"), [
    ("notes", {"note": "NUL\x00merkki"}, "note"),
    ("notes", {"note": "   "}, "note"),
    ("notes", {"note": "x" * 5001}, "note"),
    ("notes", {"note": "ok", "public": True}, "public"),
    ("notes", {}, "note"),
    ("status", {"status": "fixed", "note": "a\x00b"}, "note"),
    ("status", {"status": 7}, "status"),
])
def test_bad_bodies_are_refused_with_422_naming_the_field(client, session, world, path, body, field):
    answer = as_party(client, world.token_a).post(f"{API}/{world.order_a.id}/{path}", json=body)
    assert answer.status_code == 422, answer.json
    assert field in answer.json["fields"]
    assert _events(session, world.order_a.id, EventKind.NOTE) == []


@pytest.mark.parametrize("query", [
    "page=0", f"page={10**30}", "per_page=101", "per_page=1.5", "status=triage", "status=",
    "since=2026-12-01T08:00:00", "since=yesterday", "since=2026-02-30T08:00:00Z",
])
def test_bad_query_parameters_are_refused_with_422(client, world, query):
    answer = as_party(client, world.token_a).get(f"{API}?{query}")
    assert answer.status_code == 422, answer.json
    assert query.split("=")[0] in answer.json["fields"]


def test_an_id_no_database_holds_is_no_such_work_order_not_an_error(client, world):
    # Ids are the project's 404s (url_converters.py): no 500 from an integer out of range.
    caller = as_party(client, world.token_a)
    for path in (f"{API}/{10**30}", f"{API}/{2**31}/status", f"{API}/-1", f"{API}/abc"):
        assert caller.get(path).status_code in (404, 405), path
    bad_key = caller.post(f"{API}/{world.order_a.id}/notes", json={"note": "x"},
                          headers={"Idempotency-Key": "ä" * 3})
    assert bad_key.status_code == 422


def test_the_reporters_contact_is_shown_only_when_the_category_shares_it(client, session):
    hidden = two_contractors(session)
    body = as_party(client, hidden.token_a).get(f"{API}/{hidden.order_a.id}").json
    assert body["contact"] is None
    assert REPORTER["email"] not in str(body) and REPORTER["phone"] not in str(body)
    session.get(Category, hidden.category.id).share_contact_with_party = True
    session.commit()
    shared = as_party(client, hidden.token_a).get(f"{API}/{hidden.order_a.id}").json
    assert shared["contact"] == REPORTER
    listed = as_party(client, hidden.token_a).get(API).json["work_orders"]
    assert [order["contact"] for order in listed] == [REPORTER]
    # Each handing-over logged, as the pages log each showing; none while it was not shared.
    logged = session.scalars(select(ContactAccess).where(
        ContactAccess.report_id == hidden.order_a.id)).all()
    assert [(entry.context, entry.staff_user_id) for entry in logged] == [
        ("contractor_api", None)] * 2


def test_fixed_through_the_api_starts_the_reporters_is_it_fixed_check(client, session, world):
    answer = as_party(client, world.token_a).post(f"{API}/{world.order_a.id}/status",
                                                  json={"status": "fixed"})
    assert answer.status_code == 200
    assert session.get(Report, world.order_a.id).fix_check_until is not None


def test_a_fixed_work_order_is_not_the_contractors_to_reopen(client, session, world):
    """Else a late party could post fixed, then in progress: a fresh due date, and the
    residents' "is it fixed?" question gone."""
    caller = as_party(client, world.token_a)
    path = f"{API}/{world.order_a.id}/status"
    assert caller.post(path, json={"status": "fixed"}).status_code == 200
    report = session.get(Report, world.order_a.id, populate_existing=True)
    asked_until, due = report.fix_check_until, report.due_at
    reopened = caller.post(path, json={"status": "in_progress"})
    assert reopened.status_code == 409 and "status" in reopened.json["fields"]
    after = session.get(Report, world.order_a.id, populate_existing=True)
    assert (after.status, after.fix_check_until, after.due_at) == (
        ReportStatus.FIXED, asked_until, due)


def test_a_party_taken_out_of_use_works_no_work_orders_by_its_tokens(client, session, world):
    world.a.active = False
    session.commit()
    caller = as_party(client, world.token_a)
    assert caller.get(API).status_code == 401
    assert caller.get(f"{API}/{world.order_a.id}").status_code == 401

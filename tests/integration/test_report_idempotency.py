"""A phone that resends: the Idempotency-Key on POST /api/v1/reports."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from shapely.geometry import box
from sqlalchemy import func, select, update

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import IdempotentRequest, OutboxMessage, PublishPolicy, Report
from feedbackgis.services.reports.status import change_status

from .factories import make_category, make_party, make_service_area, make_zone

BODY = {"category": "streetlight", "location": {"lon": 24.94, "lat": 60.17},
        "description": "Valo ei pala", "contact": {"email": "asukas@example.fi"}}
KEY = "7f0c8a4e-2b1d-4c1e-9d55-2f6b8f0e9a11"


def _seed(session) -> None:
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(session, "Katuvalaistus Oy", emails=["valot@example.fi"])
    make_zone(session, party, box(24.8, 60.1, 25.1, 60.3))
    make_category(session, "streetlight", publish_policy=PublishPolicy.IMMEDIATE)
    session.commit()


@pytest.fixture
def municipality(session):
    _seed(session)


def _post(client, body=BODY, key=KEY):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post("/api/v1/reports", json=body, headers=headers)


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_a_resend_with_the_same_key_and_body_gets_the_same_answer_and_no_second_report(
    client, session, municipality,
):
    first = _post(client)
    again = _post(client)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json  # the same id, status, party, and follow-up token
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count(session, Report) == 1
    # No second email: the side effects were recorded once (submitted + assigned).
    assert _count(session, OutboxMessage) == 2


def test_the_replay_says_what_the_first_answer_said_even_after_the_status_moved_on(
    client, session, municipality,
):
    first = _post(client)
    change_status(session, first.json["id"], ReportStatus.IN_PROGRESS, actor="staff")
    again = _post(client)
    assert again.json == first.json and again.json["status"] == "assigned"


def test_key_order_and_spacing_of_the_body_do_not_make_another_request(
    client, session, municipality,
):
    first = _post(client)
    reordered = dict(reversed(list(BODY.items())))
    again = _post(client, reordered)
    assert again.status_code == 201 and again.json["id"] == first.json["id"]


def test_the_same_key_with_another_body_is_refused_and_stores_nothing(
    client, session, municipality,
):
    first = _post(client)
    other = _post(client, {**BODY, "description": "Toinen valo"})
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json["fields"]
    assert "different request body" in other.json["message"]
    assert _count(session, Report) == 1 and first.status_code == 201


def test_requests_without_a_key_or_with_other_keys_are_separate_reports(
    client, session, municipality,
):
    assert _post(client, key=None).status_code == 201
    assert _post(client, key=None).status_code == 201
    assert _post(client, key="another-key").status_code == 201
    assert _count(session, Report) == 3


@pytest.mark.parametrize("key", ["", "has space", "ä-not-ascii", "x" * 256],
                         ids=["empty", "space", "non_ascii", "too_long"])
def test_a_malformed_key_is_refused_with_what_a_key_must_be(client, session, municipality,
                                                            key):
    response = _post(client, key=key)
    assert response.status_code == 422
    assert "visible ASCII" in response.json["fields"]["Idempotency-Key"][0]
    assert _count(session, Report) == 0


def test_a_request_that_failed_leaves_its_key_free_for_the_resend(
    client, session, municipality,
):
    refused = _post(client, {**BODY, "category": "no-such-category"}, key="k-1")
    assert refused.status_code == 422
    assert _count(session, IdempotentRequest) == 0  # rolled back with everything else
    assert _post(client, {**BODY, "category": "no-such-category"}, key="k-1").status_code == 422


def test_after_24_hours_the_key_may_be_used_for_a_new_report(client, session, municipality):
    first = _post(client)
    session.execute(update(IdempotentRequest).values(
        created_at=IdempotentRequest.created_at - timedelta(hours=24, minutes=1)))
    later = _post(client)
    assert later.status_code == 201 and later.json["id"] != first.json["id"]
    assert _count(session, Report) == 2


def test_the_stored_answer_holds_no_capability_token(client, session, municipality):
    token = _post(client).json["follow_up_token"]
    row = session.scalars(select(IdempotentRequest)).one()
    assert token not in str(row.response) and KEY not in row.key_hash
    assert set(row.response) == {"status", "assigned_to", "public"}


def test_two_copies_arriving_at_once_make_one_report(app, committed):
    _seed(committed)
    start = threading.Barrier(4)
    answers = []

    def send() -> None:
        start.wait()
        answers.append(_post(app.test_client()))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json["id"] for a in answers}) == 1
    assert len({a.json["follow_up_token"] for a in answers}) == 1
    assert _count(committed, Report) == 1

"""Per-client rate limits: 429 with Retry-After, counted in Redis, and never a failed report
because Redis is away (each process then counts in memory)."""
from __future__ import annotations

import re

import pytest
from shapely.geometry import box

from config import config_for_tests
from feedbackgis import create_app
from feedbackgis.extensions import limiter
from feedbackgis.models import PublishPolicy
from tests.local_servers import RedisServer

from .factories import make_category, make_party, make_service_area, make_zone

BODY = {"category": "streetlight", "location": {"lon": 24.94, "lat": 60.17},
        "description": "Valo ei pala"}


@pytest.fixture
def limited(committed, tmp_path):
    """An app whose limits count in a Redis of the test's own: 2 submissions a minute."""
    make_service_area(committed, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(committed, "Katuvalaistus Oy", emails=["valot@example.fi"])
    make_zone(committed, party, box(24.8, 60.1, 25.1, 60.3))
    make_category(committed, "streetlight", publish_policy=PublishPolicy.IMMEDIATE)
    committed.commit()
    redis = RedisServer(tmp_path).start()
    app = create_app({**config_for_tests(), "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": redis.url,
                      "RATE_LIMIT_SUBMISSIONS": "2 per minute",
                      "RATE_LIMIT_FOLLOW_UPS": "1 per minute"})
    yield app, redis
    redis.stop()
    # The limiter is one object for every app of the process: with this app's init_app it
    # went on for the suite's own app too, whose config keeps it off.
    limiter.enabled = False


def test_the_third_submission_in_a_minute_gets_429_with_retry_after(limited):
    app, _redis = limited
    client = app.test_client()
    assert [client.post("/api/v1/reports", json=BODY).status_code for _ in range(2)] == [201] * 2
    refused = client.post("/api/v1/reports", json=BODY)
    assert refused.status_code == 429
    assert refused.json["error"] == "too_many_requests"
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_another_client_address_has_its_own_allowance(limited):
    app, _redis = limited
    client = app.test_client()
    for _ in range(3):
        client.post("/api/v1/reports", json=BODY)
    other = client.post("/api/v1/reports", json=BODY,
                        environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 201


def test_follow_up_actions_have_a_limit_of_their_own(limited):
    app, _redis = limited
    client = app.test_client()
    body = {"email": "naapuri@example.fi", "area": {"center": {"lon": 24.94, "lat": 60.17},
                                                    "radius_m": 500}}
    assert client.post("/api/v1/subscriptions", json=body).status_code == 202
    assert client.post("/api/v1/subscriptions", json=body).status_code == 429
    assert client.post("/api/v1/reports", json=BODY).status_code == 201  # not the same limit


def test_submissions_go_through_while_redis_is_down(limited):
    app, redis = limited
    redis.stop()
    client = app.test_client()
    assert client.post("/api/v1/reports", json=BODY).status_code == 201


def test_a_resident_over_the_limit_on_the_form_reads_what_to_do_in_their_language(limited):
    app, _redis = limited
    client = app.test_client()
    form = client.get("/report?lang=sv").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    data = {"csrf_token": token, "category": "streetlight", "description": "x",
            "place": "Torikatu 1"}
    assert [client.post("/report?lang=sv", data=data).status_code for _ in range(2)] == [303] * 2
    page = client.post("/report?lang=sv", data=data)
    assert page.status_code == 429 and "Vänta en minut och försök igen" in page.text

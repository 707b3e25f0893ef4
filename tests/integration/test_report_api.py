"""The submission API end to end through Flask, PostGIS and the services."""
from __future__ import annotations

import json

import pytest
from shapely.geometry import box
from sqlalchemy import func, select

from feedbackgis.domain.tokens import hash_token
from feedbackgis.models import OutboxMessage, PublishPolicy, Report, ReporterContact
from feedbackgis.services.reports.submission import follow_up_token

from .factories import make_category, make_party, make_service_area, make_zone

INSIDE = {"lon": 24.94, "lat": 60.17}


@pytest.fixture
def municipality(session):
    make_service_area(session, box(24.5, 60.0, 25.5, 60.5))
    party = make_party(session, "Katuvalaistus Oy", emails=["valot@example.fi"])
    make_zone(session, party, box(24.8, 60.1, 25.1, 60.3), name="Keskusta")
    lights = make_category(session, "streetlight", publish_policy=PublishPolicy.IMMEDIATE)
    moderated = make_category(session, "graffiti", publish_policy=PublishPolicy.MODERATED)
    make_category(session, "retired", active=False)
    session.commit()
    return {"party": party, "lights": lights, "moderated": moderated}


def _post(client, body, **kwargs):
    return client.post("/api/v1/reports", json=body, **kwargs)


def _report_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Report))


def test_valid_report_is_created_routed_and_receipted(app, client, session, municipality):
    response = _post(client, {"category": "streetlight", "location": INSIDE,
                              "description": "Valo ei pala", "language": "fi",
                              "contact": {"email": "asukas@example.fi", "consent": True}})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "assigned"
    assert body["assigned_to"] == "Katuvalaistus Oy"
    assert response.headers["Location"].endswith(f"/api/v1/reports/{body['id']}")
    assert body["follow_up_url"].endswith(body["follow_up_token"])
    assert len(body["follow_up_token"]) >= 40
    report = session.get(Report, body["id"])
    assert report.follow_up_token_hash == hash_token(body["follow_up_token"])
    # A background job can derive the same link again; the token itself is not stored.
    assert follow_up_token(report, app.config["SECRET_KEY"]) == body["follow_up_token"]
    assert body["follow_up_token"] not in (report.follow_up_nonce, report.follow_up_token_hash)
    assert session.get(ReporterContact, report.id).email == "asukas@example.fi"
    topics = session.scalars(select(OutboxMessage.topic)).all()
    assert {"report.submitted", "report.assigned"} <= set(topics)


def test_geojson_point_location_is_accepted(client, municipality):
    response = _post(client, {"category": "streetlight", "description": "x",
                              "location": {"type": "Point", "coordinates": [24.94, 60.17]}})
    assert response.status_code == 201
    assert response.json["assigned_to"] == "Katuvalaistus Oy"


def test_address_only_report_goes_to_triage(client, municipality):
    response = _post(client, {"category": "streetlight", "description": "x",
                              "address": "Mannerheimintie 1"})
    assert response.status_code == 201
    assert response.json["status"] == "triage"


def test_public_view_never_shows_contact_or_internal_notes(client, municipality):
    created = _post(client, {"category": "streetlight", "location": INSIDE,
                             "description": "Valo <b>ei</b> pala",
                             "contact": {"name": "Maija Meikäläinen", "email": "maija@example.fi",
                                         "phone": "+358 40 1234567"}}).json
    response = client.get(f"/api/v1/reports/{created['id']}?lang=sv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for secret in ("Maija", "maija@example.fi", "1234567", created["follow_up_token"], "zone"):
        assert secret not in text
    body = response.json
    assert body["category"] == {"code": "streetlight", "name": "streetlight sv"}
    assert body["location"] == INSIDE
    assert [(e["kind"], e["status"]) for e in body["events"]] == [
        ("submitted", "received"), ("assigned", "assigned")]
    assert all(e["note"] is None for e in body["events"])


def test_moderated_report_is_not_public_but_follow_up_link_shows_it(client, municipality):
    created = _post(client, {"category": "graffiti", "location": INSIDE,
                             "description": "Töhry"}).json
    assert created["public"] is False
    assert client.get(f"/api/v1/reports/{created['id']}").status_code == 404
    follow = client.get(f"/api/v1/follow-up/{created['follow_up_token']}")
    assert follow.status_code == 200 and follow.json["id"] == created["id"]
    assert client.get("/api/v1/follow-up/not-a-real-token").status_code == 404


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"location": INSIDE, "description": "x"}, "category", "Missing"),
    ({"category": "nope", "location": INSIDE, "description": "x"}, "category", "Unknown category"),
    ({"category": "retired", "location": INSIDE, "description": "x"}, "category", "no longer"),
    ({"category": "streetlight", "location": {"lon": 24.9, "lat": 91}, "description": "x"},
     "location.lat", "between -90 and 90"),
    ({"category": "streetlight", "location": {"lon": -181, "lat": 60}, "description": "x"},
     "location.lon", "between -180 and 180"),
    ({"category": "streetlight", "location": {"lon": "east", "lat": 60}, "description": "x"},
     "location.lon", "valid number"),
    ({"category": "streetlight", "location": {"lon": 10.0, "lat": 50.0}, "description": "x"},
     "location", "outside the municipality"),
    ({"category": "streetlight", "location": {"type": "LineString", "coordinates": []},
      "description": "x"}, "location", "Point"),
    ({"category": "streetlight", "description": "x"}, "location", "location or an address"),
    ({"category": "streetlight", "location": INSIDE, "description": "   "}, "description",
     "empty"),
    ({"category": "streetlight", "location": INSIDE, "description": "x" * 5001},
     "description", "at most 5000"),
    ({"category": "streetlight", "location": INSIDE}, "description", "Missing"),
    ({"category": "streetlight", "location": INSIDE, "description": "x",
      "contact": {"email": "not-an-email"}}, "contact.email", "email"),
    ({"category": "streetlight", "location": INSIDE, "description": "x", "colour": "red"},
     "colour", "Unknown field"),
])
def test_bad_field_gets_422_naming_the_field(client, session, municipality, body, field, words):
    before = _report_count(session)
    response = _post(client, body)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "validation_failed"
    assert field in response.json["fields"], response.json
    assert words.lower() in " ".join(response.json["fields"][field]).lower()
    assert _report_count(session) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"category": "streetlight", "location": INSIDE, "description": "a\u0000b"}, "description"),
    ({"category": "street\u0000light", "location": INSIDE, "description": "x"}, "category"),
    ({"category": "streetlight", "location": INSIDE, "description": "x",
      "contact": {"name": "\u0000"}}, "contact.name"),
])
def test_nul_character_gets_422_not_a_database_error(client, session, municipality, body, field):
    before = _report_count(session)
    response = _post(client, body)
    assert response.status_code == 422
    assert "NUL" in " ".join(response.json["fields"][field])
    assert _report_count(session) == before


def test_malformed_json_gets_400(client, municipality):
    response = client.post("/api/v1/reports", data='{"category": ', content_type="application/json")
    assert response.status_code == 400
    assert "Malformed JSON" in response.json["message"]


def test_json_array_body_gets_400(client, municipality):
    response = client.post("/api/v1/reports", data="[]", content_type="application/json")
    assert response.status_code == 400
    assert "JSON object" in response.json["message"]


def test_wrong_content_type_gets_415(client, municipality):
    response = client.post("/api/v1/reports", data="category=streetlight",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "application/json" in response.json["message"]


def test_body_over_the_limit_gets_413(client, app, municipality):
    body = json.dumps({"category": "streetlight", "description": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    response = client.post("/api/v1/reports", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"] == "request_entity_too_large"


def test_unknown_api_path_and_method_answer_json(client):
    assert client.get("/api/v1/nothing-here").json["error"] == "not_found"
    response = client.delete("/api/v1/reports")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


def test_categories_are_listed_in_the_requested_language(client, municipality):
    body = client.get("/api/v1/categories", headers={"Accept-Language": "sv-FI,sv;q=0.9"}).json
    assert body["language"] == "sv"
    codes = [c["code"] for c in body["categories"]]
    assert "streetlight" in codes and "retired" not in codes
    assert {"code": "graffiti", "name": "graffiti en", "description": None,
            "questions": []} in client.get("/api/v1/categories?lang=en").json["categories"]


def test_area_is_served_as_geojson(client, municipality):
    body = client.get("/api/v1/area").json
    assert body["type"] == "FeatureCollection"
    assert body["features"][0]["geometry"]["type"] == "MultiPolygon"
    assert body["features"][0]["properties"]["name"] == "Test municipality"


def test_openapi_document_describes_the_submission(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    post = spec["paths"]["/api/v1/reports"]["post"]
    assert {"201", "400", "413", "415", "422"} <= set(post["responses"])
    assert "description" in spec["components"]["schemas"]["ReportIn"]["properties"]


def test_health_and_readiness(client, redis_client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["checks"] == {"database": "ok", "redis": "ok"}


def test_readiness_fails_with_503_when_redis_is_unreachable(app, client, monkeypatch):
    from redis import Redis

    # A real client pointed at a port where nothing listens.
    monkeypatch.setitem(app.extensions, "feedbackgis.redis",
                        Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["redis"].startswith("unavailable")

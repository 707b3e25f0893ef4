"""GeoReport v2 POST requests and tokens/{token}: a client system's form becomes a routed
report (contact apart, answers checked), answered in JSON or XML parsed as a client would;
every refusal in the spec's errors list, with nothing stored."""
from __future__ import annotations

from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import config_for_tests
from feedbackgis import create_app
from feedbackgis.extensions import limiter
from feedbackgis.models import (
    ApiKey,
    Open311Submission,
    OutboxMessage,
    OutboxTopic,
    PublishPolicy,
    Report,
    ReporterContact,
)
from feedbackgis.services.open311.api_keys import create_api_key, revoke_api_key
from tests.integration.factories import make_category
from tests.integration.open311.responses import assert_none_of, xml_of
from tests.integration.open311.submission_world import (
    BASE,
    INSIDE,
    VALID,
    SubmissionWorld,
    build_submission_world,
    post_request,
)
from tests.local_servers import RedisServer

CONTACT = {"first_name": "Sirkka", "last_name": "Salainen",
           "email": "sirkka.salainen@example.fi", "phone": "+358401234567"}
PRIVATE = ("Sirkka", "Salainen", "sirkka.salainen@example.fi", "+358401234567", "device-77")


@pytest.fixture
def world(session: Session) -> SubmissionWorld:
    return build_submission_world(session)


def _xml(response) -> ElementTree.Element:
    return xml_of(response)


def _assert_private(response) -> None:
    assert_none_of(response, PRIVATE)


def _reports(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Report))


def test_a_form_becomes_a_routed_report_with_its_contact_kept_apart(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    fields = {**VALID, **CONTACT, "attribute[dark]": "true", "attribute[kind]": "led",
              "attribute[height]": "4.5", "device_id": "device-77", "account_id": "acc-5",
              "jurisdiction_id": "feedbackgis.example", "client_extra": "ignored"}
    response = post_request(client, world.key, fields)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    _assert_private(response)
    [created] = response.get_json()
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    assert created["account_id"] == "acc-5"
    assert len(created["token"]) == 43
    assert "Katuyksikkö" in created["service_notice"]
    assert created["service_notice"].startswith("Kiitos ilmoituksestasi!")
    report = session.get(Report, int(created["service_request_id"]))
    assert response.headers["Location"].endswith(f"{BASE}/requests/{report.id}.json")
    assert (report.description, report.language, report.submitted_from) == (
        "Valo ei pala", "fi", "system")
    assert report.answers == {"pole": "A-12", "dark": True, "kind": "led", "height": 4.5}
    assert report.assigned_party_id == world.party.id
    assert report.with_contact is True
    contact = session.get(ReporterContact, report.id)
    assert (contact.name, contact.email, contact.phone, contact.consent) == (
        "Sirkka Salainen", "sirkka.salainen@example.fi", "+358401234567", False)
    submission = session.get(Open311Submission, report.id)
    assert (submission.token, submission.device_id, submission.account_id,
            submission.media_url) == (created["token"], "device-77", "acc-5", None)
    assert submission.api_key_id == session.scalar(
        select(ApiKey.id).where(ApiKey.name == "Kaupunkisovellus"))
    # No media_url: no fetch job.
    topics = session.scalars(select(OutboxMessage.topic)).all()
    assert OutboxTopic.OPEN311_MEDIA_SUBMITTED.value not in topics


def test_the_answer_in_xml_parses_as_the_spec_list_in_the_requested_locale(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    response = post_request(client, world.key, {**VALID, **CONTACT, "locale": "sv"},
                            fmt="xml", multipart=True)
    assert response.status_code == 200
    _assert_private(response)
    root = _xml(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    report_id = int(request.findtext("service_request_id"))
    assert request.findtext("token") == session.get(Open311Submission, report_id).token
    assert request.findtext("service_notice").startswith("Tack för din anmälan!")
    assert request.findtext("account_id") == ""
    assert session.get(Report, report_id).language == "sv"


def test_a_token_finds_only_the_request_id_and_the_new_request_shows_no_contact(
        client: FlaskClient, world: SubmissionWorld) -> None:
    [created] = post_request(client, world.key, {**VALID, **CONTACT}).get_json()
    token, report_id = created["token"], created["service_request_id"]
    assert client.get(f"{BASE}/tokens/{token}.json").get_json() == [
        {"service_request_id": report_id, "token": token}]
    root = _xml(client.get(f"{BASE}/tokens/{token}.xml"))
    assert [(r.findtext("service_request_id"), r.findtext("token"))
            for r in root.findall("request")] == [(report_id, token)]
    for unknown in ("x" * 43, "short", token[:-1] + ("A" if token[-1] != "A" else "B")):
        refused = client.get(f"{BASE}/tokens/{unknown}.xml")
        assert refused.status_code == 404
        assert _xml(refused).findtext("error/code") == "404"
    for fmt in ("json", "xml"):
        shown = client.get(f"{BASE}/requests/{report_id}.{fmt}")
        assert shown.status_code == 200
        assert "Valo ei pala" in shown.get_data(as_text=True)
        _assert_private(shown)
    listed = client.get(f"{BASE}/requests.json")
    assert report_id in [r["service_request_id"] for r in listed.get_json()]
    _assert_private(listed)


def test_without_description_the_text_is_the_services_name(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    fields = {key: value for key, value in VALID.items() if key != "description"}
    [created] = post_request(client, world.key, {**fields, "description": "  ",
                                                 "locale": "en"}).get_json()
    assert session.get(Report, int(created["service_request_id"])).description == (
        "streetlight en")


def test_an_address_id_becomes_a_marked_address_for_staff_to_pin(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    base = {"service_code": "streetlight", "description": "Valo", "attribute[pole]": "1"}
    [by_id] = post_request(client, world.key, {**base, "address_id": "PT-991"}).get_json()
    report = session.get(Report, int(by_id["service_request_id"]))
    assert (report.address, report.location) == ("address_id: PT-991", None)
    [both] = post_request(client, world.key, {**base, "address_id": "PT-991",
                                              "address_string": "Aleksanterinkatu 5"}).get_json()
    assert session.get(Report, int(both["service_request_id"])).address == (
        "Aleksanterinkatu 5 (address_id: PT-991)")
    [text] = post_request(client, world.key, {**base,
                                              "address_string": "Esplanadi 1"}).get_json()
    assert session.get(Report, int(text["service_request_id"])).address == "Esplanadi 1"
    # The longest pair whose marked address fits a report's 500 characters, kept whole.
    [longest] = post_request(client, world.key, {**base, "address_string": "a" * 300,
                                                 "address_id": "x" * 185}).get_json()
    address = session.get(Report, int(longest["service_request_id"])).address
    assert address == "a" * 300 + " (address_id: " + "x" * 185 + ")"
    assert len(address) == 500


def test_consent_is_recorded_only_when_the_client_sends_it(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    [created] = post_request(client, world.key,
                             {**VALID, "email": "a@example.fi", "consent": "true"}).get_json()
    assert session.get(ReporterContact, int(created["service_request_id"])).consent is True


def test_a_media_url_is_kept_and_its_fetch_recorded_in_the_same_transaction(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    url = "https://photos.example.org/a/b.jpg?sig=1"
    [created] = post_request(client, world.key, {**VALID, "media_url": url}).get_json()
    report_id = int(created["service_request_id"])
    assert session.get(Open311Submission, report_id).media_url == url
    payloads = session.scalars(select(OutboxMessage.payload).where(
        OutboxMessage.topic == OutboxTopic.OPEN311_MEDIA_SUBMITTED.value)).all()
    assert payloads == [{"report_id": report_id}]


def test_a_resend_with_the_same_idempotency_key_stores_one_report(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    headers = {"Idempotency-Key": "3f7c2a9e-0d4b-4f57-9a51-6f0c1b2d3e4f"}
    first = post_request(client, world.key, VALID, headers=headers)
    before = _reports(session)
    again = post_request(client, world.key, VALID, headers=headers, fmt="xml")
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    [created] = first.get_json()
    [request] = _xml(again).findall("request")
    assert request.findtext("service_request_id") == created["service_request_id"]
    assert request.findtext("token") == created["token"]
    assert _reports(session) == before
    assert session.scalar(select(func.count()).select_from(Open311Submission)) == 1
    changed = post_request(client, world.key, {**VALID, "description": "Toinen"},
                           headers=headers)
    assert changed.status_code == 400
    assert changed.get_json()[0]["description"].startswith("Idempotency-Key:")
    # Another client system's same key is its own request.
    other_key = create_api_key(session, "Toinen sovellus")
    other = post_request(client, other_key, VALID, headers=headers)
    assert other.status_code == 200
    assert other.get_json()[0]["service_request_id"] != created["service_request_id"]


def _without(*names: str) -> dict:
    return {key: value for key, value in VALID.items() if key not in names}


REFUSALS = [
    ("no key", None, VALID, 403, "api_key"),
    ("unknown key", "A" * 43, VALID, 403, "api_key"),
    ("malformed key", "nope", VALID, 403, "api_key"),
    ("unknown service", "KEY", {**VALID, "service_code": "nosuch"}, 400, "service_code"),
    ("inactive service", "KEY", {**VALID, "service_code": "retired"}, 400, "service_code"),
    ("no service", "KEY", _without("service_code"), 400, "service_code"),
    ("no location", "KEY", _without("lat", "long"), 400, "location"),
    ("91 degrees", "KEY", {**VALID, "lat": "91"}, 400, "lat"),
    ("181 degrees", "KEY", {**VALID, "long": "-181"}, 400, "long"),
    ("lat alone", "KEY", _without("long"), 400, "long"),
    ("not a number", "KEY", {**VALID, "lat": "north"}, 400, "lat"),
    ("not finite", "KEY", {**VALID, "lat": "nan"}, 400, "lat"),
    # float() reads both as numbers; a coordinate is written in ASCII digits, as in GET.
    ("underscore in a number", "KEY", {**VALID, "lat": "6_0.17"}, 400, "lat"),
    ("Arabic-Indic digits", "KEY", {**VALID, "lat": "\u0666\u0660.17"}, 400, "lat"),
    ("underscore in long", "KEY", {**VALID, "long": "2_4.94"}, 400, "long"),
    ("outside the area", "KEY", {**VALID, "lat": "61.5", "long": "23.7"}, 400, "location"),
    ("address over 500 with its id", "KEY", {
        "service_code": "streetlight", "address_string": "a" * 300, "address_id": "x" * 200,
        "attribute[pole]": "A"}, 400, "address_id"),
    ("5,000 characters", "KEY", {**VALID, "description": "a" * 5000}, 400, "description"),
    ("value not in list", "KEY", {**VALID, "attribute[kind]": "sodium"}, 400,
     "attribute[kind]"),
    ("required missing", "KEY", _without("attribute[pole]"), 400, "attribute[pole]"),
    ("unknown attribute", "KEY", {**VALID, "attribute[colour]": "red"}, 400,
     "attribute[colour]"),
    ("yes/no not true/false", "KEY", {**VALID, "attribute[dark]": "maybe"}, 400,
     "attribute[dark]"),
    ("number not a number", "KEY", {**VALID, "attribute[height]": "tall"}, 400,
     "attribute[height]"),
    ("repeated attribute", "KEY", [*VALID.items(), ("attribute[pole]", "B-2")], 400,
     "attribute[pole]"),
    ("ftp media", "KEY", {**VALID, "media_url": "ftp://example.org/a.jpg"}, 400, "media_url"),
    ("long media url", "KEY", {**VALID, "media_url": "https://e.org/" + "a" * 2000}, 400,
     "media_url"),
    ("bad email", "KEY", {**VALID, "email": "not-an-address"}, 400, "email"),
    ("bad phone", "KEY", {**VALID, "phone": "call me"}, 400, "phone"),
    ("NUL", "KEY", {**VALID, "description": "a\x00b"}, 400, "description"),
    ("bad locale", "KEY", {**VALID, "locale": "de"}, 400, "locale"),
    ("consent not true/false", "KEY", {**VALID, "consent": "yes"}, 400, "consent"),
    ("other jurisdiction", "KEY", {**VALID, "jurisdiction_id": "elsewhere"}, 404,
     "jurisdiction_id"),
]


@pytest.mark.parametrize(("case", "key", "fields", "status", "named"), REFUSALS,
                         ids=[case[0] for case in REFUSALS])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_refused_request_stores_nothing_and_names_the_parameter(
        client: FlaskClient, session: Session, world: SubmissionWorld, case: str,
        key: str | None, fields: dict | list, status: int, named: str, fmt: str) -> None:
    before = _reports(session)
    response = post_request(client, world.key if key == "KEY" else key, fields, fmt=fmt)
    assert response.status_code == status
    if fmt == "xml":
        [error] = _xml(response).findall("error")
        code, description = error.findtext("code"), error.findtext("description")
    else:
        [error] = response.get_json()
        code, description = str(error["code"]), error["description"]
    assert code == str(status)
    assert named in description
    assert _reports(session) == before


def test_a_key_in_the_query_string_is_not_read(client: FlaskClient, session: Session,
                                               world: SubmissionWorld) -> None:
    """A URL lands in access logs: the key is taken from the form's body only."""
    before = _reports(session)
    refused = client.post(f"{BASE}/requests.json?api_key={world.key}", data=VALID)
    assert refused.status_code == 403
    assert "api_key" in refused.get_json()[0]["description"]
    assert _reports(session) == before


def test_a_revoked_key_is_refused(client: FlaskClient, session: Session,
                                  world: SubmissionWorld) -> None:
    assert post_request(client, world.key, VALID).status_code == 200
    revoke_api_key(session, "Kaupunkisovellus")
    refused = post_request(client, world.key, VALID, fmt="xml")
    assert refused.status_code == 403
    assert "revoked" in _xml(refused).findtext("error/description")


@pytest.fixture
def limited(committed, tmp_path):
    """An app whose Open311 key limit is 2 requests a minute, counted in a Redis of its own."""
    world = build_submission_world(committed)
    committed.commit()
    redis = RedisServer(tmp_path).start()
    app = create_app({**config_for_tests(), "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": redis.url, "OPEN311_KEY_RATE_LIMIT": "2/minute"})
    yield app, committed, world.key
    redis.stop()
    limiter.enabled = False  # one limiter for every app of the process


def test_the_rate_limit_counts_per_key_and_answers_429_in_the_spec_format(limited) -> None:
    app, committed, first_key = limited
    key = create_api_key(committed, "Toinen sovellus")
    browser = app.test_client()
    assert [post_request(browser, first_key, VALID).status_code for _ in range(2)] == [200] * 2
    refused = post_request(browser, first_key, VALID, fmt="xml")
    assert refused.status_code == 429
    assert _xml(refused).findtext("error/code") == "429"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert post_request(browser, key, VALID).status_code == 200  # another key's allowance
    assert _reports(committed) == 3


def test_a_key_in_the_query_string_spends_none_of_the_keys_allowance(limited) -> None:
    app, committed, key = limited
    browser = app.test_client()
    assert [browser.post(f"{BASE}/requests.json?api_key={key}", data=VALID).status_code
            for _ in range(2)] == [403] * 2
    assert [post_request(browser, key, VALID).status_code for _ in range(2)] == [200] * 2


def test_a_service_without_questions_takes_a_plain_request_and_refuses_attributes(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    make_category(session, "graffiti")
    session.commit()
    ok = post_request(client, world.key, {"service_code": "graffiti", **INSIDE,
                                          "description": "Töherrys"})
    assert ok.status_code == 200
    refused = post_request(client, world.key, {"service_code": "graffiti", **INSIDE,
                                               "attribute[pole]": "1"})
    assert refused.status_code == 400
    assert "attribute[pole]" in refused.get_json()[0]["description"]


def test_the_notice_says_when_the_public_map_waits_for_a_moderator(
        client: FlaskClient, session: Session, world: SubmissionWorld) -> None:
    make_category(session, "bench", publish_policy=PublishPolicy.MODERATED)
    session.commit()
    fields = {"service_code": "bench", **INSIDE, "description": "Penkki rikki",
              "locale": "en"}
    [moderated] = post_request(client, world.key, fields).get_json()
    assert moderated["service_notice"].endswith(
        "The report is not shown on the public map until it has been checked.")
    [immediate] = post_request(client, world.key, {**VALID, "locale": "en"}).get_json()
    assert "public map" not in immediate["service_notice"]
    assert "Handled by: Katuyksikkö." in immediate["service_notice"]

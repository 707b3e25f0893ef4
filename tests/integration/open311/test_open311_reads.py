"""Open311 GeoReport v2 reads at /open311/v2/, in JSON and in XML parsed as a client would."""
from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from config import config_for_tests
from feedbackgis import create_app
from feedbackgis.domain.questions import QuestionKind
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import limiter
from feedbackgis.models import (
    CategoryQuestion,
    EventKind,
    Photo,
    QuestionOption,
    Report,
    ReportEvent,
)
from tests.integration.factories import make_category, make_party, make_report
from tests.integration.open311.responses import assert_none_of, xml_of
from tests.local_servers import RedisServer

BASE = "/open311/v2"
OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
SECRETS = ("Salainen Sirkka", "sirkka.salainen@example.fi", "+358401234567",
           "INTERNAL-NOTE-ZX81", "Staff Person Qwerty", "ORIGINAL-TEXT-UNMODERATED")


@pytest.fixture
def world(session: Session) -> dict:
    party = make_party(session, "Katuyksikkö")
    lights = make_category(session, "streetlight")
    lights.description_fi, lights.description_en = "Valot", "Lights"
    make_category(session, "graffiti")
    make_category(session, "retired", active=False)
    lights.questions.extend([
        CategoryQuestion(code="pole", kind=QuestionKind.TEXT, required=True, position=1,
                         prompt_fi="Pylvään numero", prompt_sv="Stolpens nummer",
                         prompt_en="Pole number"),
        CategoryQuestion(code="dark", kind=QuestionKind.YESNO, position=2, prompt_fi="Pimeä?",
                         prompt_sv="Mörkt?", prompt_en="Dark?"),
        CategoryQuestion(code="kind", kind=QuestionKind.CHOICE, position=3,
                         prompt_fi="Tyyppi", prompt_sv="Typ", prompt_en="Kind",
                         options=[QuestionOption(key="led", label_fi="LED-valo",
                                                 label_sv="LED-ljus", label_en="LED light",
                                                 position=1)]),
        CategoryQuestion(code="gone", kind=QuestionKind.TEXT, position=4, active=False,
                         prompt_fi="Poistettu", prompt_sv="Borttagen", prompt_en="Removed"),
    ])
    session.flush()
    public = make_report(session, lights, party=party, address="Mannerheimintie 1 <&>",
                         description=SECRETS[5],
                         contact={"name": SECRETS[0], "email": SECRETS[1], "phone": SECRETS[2]})
    public.public_description = "Valo ei pala <b>&</b>"
    public.due_at = datetime(2026, 12, 15, 14, 0, tzinfo=UTC)
    session.add_all([
        ReportEvent(report_id=public.id, kind=EventKind.REPLY, actor=SECRETS[4],
                    note="Korjataan viikolla", is_public=True),
        ReportEvent(report_id=public.id, kind=EventKind.NOTE, actor=SECRETS[4],
                    note=SECRETS[3], is_public=False),
        Photo(report_id=public.id, position=0, image_key=f"k-{secrets.token_hex(4)}",
              width=10, height=10, bytes=100, hidden=True,
              upload_token_hash=secrets.token_hex(32)),
        Photo(report_id=public.id, position=1, image_key=f"k-{secrets.token_hex(4)}",
              width=10, height=10, bytes=100, upload_token_hash=secrets.token_hex(32)),
    ])
    closed = make_report(session, lights, description="Korjattu jo")
    closed.status = ReportStatus.FIXED
    graffiti = session.get(Report, make_report(session, lights).id)
    hidden = make_report(session, lights, public=False, description="Ei julkinen")
    session.commit()  # the requests' sessions see it (a savepoint of the test's transaction)
    photo = session.query(Photo).filter_by(report_id=public.id, hidden=False).one()
    return {"public": public, "closed": closed, "other": graffiti, "hidden": hidden,
            "photo": photo, "party": party}


def _xml(response) -> ElementTree.Element:
    return xml_of(response)


def _assert_private(response) -> None:
    assert_none_of(response, SECRETS)


def test_discovery_names_the_endpoint_in_both_formats(client: FlaskClient) -> None:
    body = client.get(f"{BASE}/discovery.json").get_json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://localhost/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert OFFSET.match(body["changeset"])
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]
    assert root.findtext("endpoints/endpoint/type") == "production"


def test_services_are_the_active_categories_in_the_chosen_language(
        client: FlaskClient, world: dict) -> None:
    services = client.get(f"{BASE}/services.json?locale=en").get_json()
    assert [s["service_code"] for s in services] == ["graffiti", "streetlight"]
    lights = services[1]
    assert lights == {"service_code": "streetlight", "service_name": "streetlight en",
                      "description": "Lights", "metadata": True, "type": "realtime",
                      "keywords": "", "group": ""}
    assert services[0]["metadata"] is False
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    xml_lights = root.findall("service")[1]
    assert xml_lights.findtext("service_name") == "streetlight fi"
    assert xml_lights.findtext("description") == "Valot"
    assert xml_lights.findtext("metadata") == "true"
    assert root.findall("service")[0].findtext("metadata") == "false"


GROUPS_AND_KEYWORDS = {
    "fi": ("Valaistus", "katuvalo, lamppu, pimeä"),
    "sv": ("Belysning", "gatubelysning, lampa, mörk"),
    "en": ("Lighting", "streetlight, lamp, dark"),
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_services_give_each_category_its_group_and_keywords_in_the_locale_in_both_formats(
        client: FlaskClient, session: Session, world: dict, language: str) -> None:
    from feedbackgis.services.catalog.parties_and_categories import (
        CategoryTexts,
        update_category,
    )

    texts = {f"{field}_{lang}": value for lang, pair in GROUPS_AND_KEYWORDS.items()
             for field, value in zip(("group", "keywords"), pair, strict=True)}
    # The world's lights lack a Swedish description, which the service would refuse.
    update_category(session, "streetlight", CategoryTexts(description_sv="Ljus", **texts))
    group, keywords = GROUPS_AND_KEYWORDS[language]
    graffiti, lights = client.get(f"{BASE}/services.json?locale={language}").get_json()
    assert (lights["group"], lights["keywords"]) == (group, keywords)
    assert (graffiti["group"], graffiti["keywords"]) == ("", "")  # a category without them
    xml_graffiti, xml_lights = _xml(client.get(f"{BASE}/services.xml?locale={language}")
                                    ).findall("service")
    assert (xml_lights.findtext("group"), xml_lights.findtext("keywords")) == (group, keywords)
    assert (xml_graffiti.findtext("group"), xml_graffiti.findtext("keywords")) == ("", "")


def test_services_without_a_locale_give_the_group_and_keywords_in_finnish(
        client: FlaskClient, session: Session, world: dict) -> None:
    lights = session.get(Report, world["public"].id).category
    lights.group_fi, lights.group_sv, lights.group_en = "Valaistus", "Belysning", "Lighting"
    lights.keywords_fi, lights.keywords_sv, lights.keywords_en = "valo", "ljus", "light"
    session.commit()
    services = client.get(f"{BASE}/services.json").get_json()
    assert (services[1]["group"], services[1]["keywords"]) == ("Valaistus", "valo")


def test_service_definition_lists_the_active_questions_as_attributes(
        client: FlaskClient, world: dict) -> None:
    body = client.get(f"{BASE}/services/streetlight.json?locale=sv").get_json()
    assert body["service_code"] == "streetlight"
    assert [a["code"] for a in body["attributes"]] == ["pole", "dark", "kind"]
    pole, dark, kind = body["attributes"]
    assert pole == {"variable": True, "code": "pole", "datatype": "string", "required": True,
                    "datatype_description": "", "order": 1,
                    "description": "Stolpens nummer", "values": []}
    assert dark["datatype"] == "singlevaluelist"
    assert dark["values"] == [{"key": "true", "name": "Ja"}, {"key": "false", "name": "Nej"}]
    assert kind["values"] == [{"key": "led", "name": "LED-ljus"}]
    root = _xml(client.get(f"{BASE}/services/streetlight.xml"))
    assert root.tag == "service_definition"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["pole", "dark", "kind"]
    assert attributes[0].findtext("required") == "true"
    assert attributes[0].findtext("variable") == "true"
    assert attributes[1].findtext("required") == "false"
    assert attributes[2].findtext("order") == "3"
    assert [(v.findtext("key"), v.findtext("name"))
            for v in attributes[2].findall("values/value")] == [("led", "LED-valo")]


def _expected_public(world: dict) -> dict:
    report = world["public"]
    return {
        "service_request_id": str(report.id), "status": "open",
        "status_notes": "Korjataan viikolla", "service_name": "streetlight fi",
        "service_code": "streetlight", "description": "Valo ei pala <b>&</b>",
        "agency_responsible": "Katuyksikkö", "service_notice": "",
        "address": "Mannerheimintie 1 <&>", "address_id": "", "zipcode": "",
        "lat": pytest.approx(60.1699), "long": pytest.approx(24.9384),
        "expected_datetime": "2026-12-15T16:00:00+02:00",
        "media_url": f"http://localhost/photos/{world['photo'].id}.jpg",
    }


def test_a_request_is_shown_with_the_spec_fields_and_nothing_private(
        client: FlaskClient, world: dict) -> None:
    report = world["public"]
    response = client.get(f"{BASE}/requests/{report.id}.json")
    _assert_private(response)
    [body] = response.get_json()
    assert {k: body[k] for k in _expected_public(world)} == _expected_public(world)
    assert OFFSET.match(body["requested_datetime"])
    assert OFFSET.match(body["updated_datetime"])
    response = client.get(f"{BASE}/requests/{report.id}.xml")
    _assert_private(response)
    root = _xml(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == str(report.id)
    assert request.findtext("description") == "Valo ei pala <b>&</b>"
    assert request.findtext("address") == "Mannerheimintie 1 <&>"
    assert request.findtext("expected_datetime") == "2026-12-15T16:00:00+02:00"
    assert request.findtext("media_url") == f"http://localhost/photos/{world['photo'].id}.jpg"
    assert float(request.findtext("long")) == pytest.approx(24.9384)
    assert OFFSET.match(request.findtext("requested_datetime"))


def test_requests_lists_public_reports_newest_first(client: FlaskClient, session: Session,
                                                   world: dict) -> None:
    ids = [world[name].id for name in ("public", "closed", "other")]
    for age, report_id in enumerate(ids):  # public newest
        session.execute(update(Report).where(Report.id == report_id).values(
            created_at=datetime.now(UTC) - timedelta(hours=age + 1)))
    session.commit()
    response = client.get(f"{BASE}/requests.json")
    _assert_private(response)
    listed = response.get_json()
    assert [r["service_request_id"] for r in listed] == [str(i) for i in ids]
    assert [r["status"] for r in listed] == ["open", "closed", "open"]
    root = _xml(client.get(f"{BASE}/requests.xml?status=closed"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        str(world["closed"].id)]
    open_ones = client.get(f"{BASE}/requests.json?status=open&service_code=streetlight")
    assert [r["service_request_id"] for r in open_ones.get_json()] == [str(ids[0]),
                                                                       str(ids[2])]
    assert client.get(f"{BASE}/requests.json?service_code=graffiti").get_json() == []


def test_requests_by_id_list_override_the_other_filters_and_skip_non_public(
        client: FlaskClient, world: dict) -> None:
    wanted = f"{world['closed'].id},{world['hidden'].id},{world['public'].id}"
    listed = client.get(f"{BASE}/requests.json?service_request_id={wanted}&status=open"
                        "&start_date=2000-01-01T00:00:00Z&end_date=2000-01-02T00:00:00Z")
    assert sorted(r["service_request_id"] for r in listed.get_json()) == sorted(
        [str(world["closed"].id), str(world["public"].id)])


def test_date_range_filters_by_requested_datetime(client: FlaskClient, session: Session,
                                                  world: dict) -> None:
    session.execute(update(Report).where(Report.id == world["closed"].id).values(
        created_at=datetime(2026, 3, 10, 12, tzinfo=UTC)))
    session.commit()
    listed = client.get(f"{BASE}/requests.json?start_date=2026-03-01T00:00:00%2B02:00"
                        "&end_date=2026-03-31T00:00:00Z").get_json()
    assert [r["service_request_id"] for r in listed] == [str(world["closed"].id)]
    # Without dates: the last 90 days, so the March report is not listed.
    default = client.get(f"{BASE}/requests.json").get_json()
    assert str(world["closed"].id) not in [r["service_request_id"] for r in default]


def test_a_report_not_public_is_not_found(client: FlaskClient, world: dict) -> None:
    hidden = world["hidden"].id
    response = client.get(f"{BASE}/requests/{hidden}.xml")
    assert response.status_code == 404
    assert _xml(response).findtext("error/code") == "404"
    listed = client.get(f"{BASE}/requests.json").get_json()
    assert str(hidden) not in [r["service_request_id"] for r in listed]
    assert "Ei julkinen" not in client.get(f"{BASE}/requests.xml").get_data(as_text=True)


@pytest.mark.parametrize(("path", "status", "named"), [
    ("services/nosuch", 404, "nosuch"),
    ("services/retired", 404, "retired"),
    ("requests/999999", 404, "999999"),
    ("requests/abc", 404, "abc"),
    ("requests", 400, "start_date"),
    ("services", 404, "jurisdiction_id"),
    ("requests", 400, "end_date"),
    ("requests", 400, "end_date "),
    ("requests", 400, "status"),
    ("requests", 400, "service_request_id"),
    ("services", 400, "locale"),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_come_as_the_spec_list_in_the_requested_format(
        client: FlaskClient, world: dict, path: str, status: int, named: str,
        fmt: str) -> None:
    query = {
        ("requests", "start_date"): "start_date=yesterday",
        ("services", "jurisdiction_id"): "jurisdiction_id=elsewhere.example",
        ("requests", "end_date"): "start_date=2026-03-10T00:00:00Z&end_date=2026-03-01T00:00:00Z",
        ("requests", "end_date "): "start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z",
        ("requests", "status"): "status=pending",
        ("requests", "service_request_id"): "service_request_id=1,x",
        ("services", "locale"): "locale=de",
    }.get((path, named), "")
    response = client.get(f"{BASE}/{path}.{fmt}?{query}")
    assert response.status_code == status
    if fmt == "json":
        [error] = response.get_json()
        code, description = error["code"], error["description"]
    else:
        root = _xml(response)
        assert root.tag == "errors"
        code, description = int(root.findtext("error/code")), root.findtext("error/description")
    assert code == status
    assert named.strip() in description


def test_a_range_of_exactly_90_days_is_accepted(client: FlaskClient, world: dict) -> None:
    response = client.get(f"{BASE}/requests.json?start_date=2026-01-01T00:00:00Z"
                          "&end_date=2026-04-01T00:00:00Z")
    assert response.status_code == 200


def test_the_configured_jurisdiction_is_accepted(client: FlaskClient, world: dict) -> None:
    response = client.get(f"{BASE}/services.json?jurisdiction_id=feedbackgis.example")
    assert response.status_code == 200
    assert len(response.get_json()) == 2
    other = client.get(f"{BASE}/services.json?jurisdiction_id=elsewhere.example")
    assert other.status_code == 404
    assert ("use feedbackgis.example, or leave jurisdiction_id out"
            in other.get_json()[0]["description"])


@pytest.mark.parametrize("path", ["services.html", "requests.txt", "nothing", "services/x.csv"])
def test_an_unknown_suffix_or_resource_is_a_json_404(client: FlaskClient, path: str) -> None:
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 404
    assert response.content_type.startswith("application/json")
    assert response.get_json()[0]["code"] == 404


def test_control_characters_in_a_text_never_break_the_xml(client: FlaskClient, session: Session,
                                                          world: dict) -> None:
    report = world["public"]
    report.public_description = "Valo\x01 ei\x0b pala"
    session.commit()
    for path in (f"requests/{report.id}.xml", "requests.xml"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 200
        [request_element] = [element for element in _xml(response).iter("request")
                             if element.findtext("service_request_id") == str(report.id)]
        assert request_element.findtext("description") == "Valo\ufffd ei\ufffd pala"
    # Errors that repeat what was asked for stay well-formed too.
    for path in ("services/x%01y.xml", "requests.xml?jurisdiction_id=a%00b"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404
        assert _xml(response).findtext("error/code") == "404"


@pytest.mark.parametrize(("path", "status"), [
    ("requests.json?service_request_id=%C2%B2", 400),  # a superscript two is no id
    ("requests/%C2%B2.json", 404),
    ("requests.json?service_request_id=" + "9" * 5000, 400),
    ("requests/" + "9" * 5000 + ".json", 404),
    ("requests.json?start_date=9999-12-31", 400),
    ("requests.json?end_date=0001-01-01", 400),
    ("requests.json?service_code=a%00b", 400),
    ("services/a%00b.json", 404),
    ("services/a%00b.xml", 404),
])
def test_odd_ids_dates_and_codes_are_refused_never_a_500(client: FlaskClient, world: dict,
                                                         path: str, status: int) -> None:
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == status
    body = (response.get_json() if path.split("?")[0].endswith(".json")
            else [{"code": int(_xml(response).findtext("error/code"))}])
    assert body[0]["code"] == status


@pytest.fixture
def read_limited(committed, tmp_path):
    """An app whose Open311 reads are limited to 3 a minute an address, counted in a Redis of
    its own (the tests' config turns the limits off)."""
    redis = RedisServer(tmp_path).start()
    app = create_app({**config_for_tests(), "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": redis.url, "OPEN311_READ_RATE_LIMIT": "3/minute"})
    yield app
    redis.stop()
    limiter.enabled = False  # one limiter for every app of the process


def test_reads_are_limited_per_address_across_resources_with_429_in_the_spec_format(
        read_limited) -> None:
    browser = read_limited.test_client()
    first = {"REMOTE_ADDR": "192.0.2.10"}
    paths = ("discovery.json", "services.xml", "requests.json")
    assert [browser.get(f"{BASE}/{path}", environ_base=first).status_code
            for path in paths] == [200] * 3
    refused = browser.get(f"{BASE}/requests.xml?page_size=5", environ_base=first)
    assert refused.status_code == 429
    assert _xml(refused).findtext("error/code") == "429"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    [error] = browser.get(f"{BASE}/servicerequestupdates.json", environ_base=first).get_json()
    assert error["code"] == 429
    # A POST is not a read: the key's own limit and the key check answer it.
    assert browser.post(f"{BASE}/requests.json", environ_base=first).status_code == 403
    other = {"REMOTE_ADDR": "192.0.2.11"}  # another address has its own allowance
    assert browser.get(f"{BASE}/services.json", environ_base=other).status_code == 200

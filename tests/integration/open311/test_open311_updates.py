"""mySociety's servicerequestupdates at /open311/v2/: GET the public updates, in JSON and in
XML parsed as a client would, and POST updates back from other systems."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import InvalidInput
from feedbackgis.models import (
    ApiKey,
    EventKind,
    Open311Submission,
    Open311UpdateReceived,
    OutboxMessage,
    OutboxTopic,
    Report,
    ReportEvent,
)
from feedbackgis.services.open311.api_keys import create_api_key, revoke_api_key
from feedbackgis.services.open311.received_updates import (
    ReceivedUpdate,
    UpdateSender,
    apply_received_update,
)
from tests.integration.factories import make_category, make_party, make_report
from tests.integration.open311.responses import assert_none_of, xml_of

BASE = "/open311/v2"
UPDATES = f"{BASE}/servicerequestupdates"
SECRETS = ("Salainen Sirkka", "sirkka.salainen@example.fi", "+358401234567",
           "INTERNAL-NOTE-ZX81", "Staff Person Qwerty", "Muu Käsittelijä Zorro",
           "kasittelija.zorro@example.fi")
DAY = timedelta(days=1)


@pytest.fixture
def world(session: Session) -> dict:
    party, other = make_party(session, "Katuyksikkö"), make_party(session, "Puistoyksikkö")
    lights = make_category(session, "streetlight")
    contact = {"name": SECRETS[0], "email": SECRETS[1], "phone": SECRETS[2]}
    assigned = make_report(session, lights, party=party, contact=contact)
    fixed = make_report(session, lights, party=party)
    fixed.status = ReportStatus.FIXED
    foreign = make_report(session, lights, party=other)
    hidden = make_report(session, lights, party=other, public=False)
    sent = make_report(session, lights, party=other, contact=contact)
    keys = {"party": create_api_key(session, "Katujärjestelmä"),
            "app": create_api_key(session, "Kaupunkiapp"),
            "stranger": create_api_key(session, "Vieras")}
    key_rows = {name: session.scalar(select(ApiKey).where(ApiKey.name == title))
                for name, title in (("party", "Katujärjestelmä"), ("app", "Kaupunkiapp"),
                                    ("stranger", "Vieras"))}
    key_rows["party"].party_id = party.id
    session.add(Open311Submission(report_id=sent.id, api_key_id=key_rows["app"].id,
                                  token=secrets.token_hex(16)))
    session.commit()  # the requests' sessions see it (a savepoint of the test's transaction)
    return {"party": party, "assigned": assigned, "fixed": fixed, "foreign": foreign,
            "hidden": hidden, "sent": sent, "keys": keys, "key_rows": key_rows}


def _event(session: Session, report: Report, kind: EventKind, *, public: bool = True,
           note: str | None = None, to_status: ReportStatus | None = None,
           at: datetime | None = None, actor: str = SECRETS[4]) -> ReportEvent:
    event = ReportEvent(report_id=report.id, kind=kind, actor=actor, note=note,
                        is_public=public, to_status=to_status)
    if at is not None:
        event.created_at = at
    session.add(event)
    session.flush()
    return event


@pytest.fixture
def history(session: Session, world: dict) -> dict:
    """Public and internal events of the assigned report, and of one that is not public."""
    report, now = world["assigned"], datetime.now(UTC)
    made = {
        "submitted": _event(session, report, EventKind.SUBMITTED,
                            to_status=ReportStatus.RECEIVED, at=now - 3 * DAY),
        "started": _event(session, report, EventKind.STATUS_CHANGED, note="Työ alkaa",
                          to_status=ReportStatus.IN_PROGRESS, at=now - 2 * DAY),
        "note": _event(session, report, EventKind.NOTE, public=False, note=SECRETS[3],
                       at=now - 2 * DAY + timedelta(hours=1)),
        "quiet": _event(session, report, EventKind.STATUS_CHANGED, public=False,
                        note=SECRETS[3], to_status=ReportStatus.WAITING,
                        at=now - 2 * DAY + timedelta(hours=2)),
        "reply": _event(session, report, EventKind.REPLY, note="Korjataan viikolla",
                        at=now - DAY),
        "hidden": _event(session, world["hidden"], EventKind.REPLY, note="Ei julkinen",
                         at=now - DAY),
        "old": _event(session, world["foreign"], EventKind.STATUS_CHANGED,
                      to_status=ReportStatus.FIXED, at=now - 120 * DAY),
    }
    session.commit()
    return made


def _xml(response) -> ElementTree.Element:
    return xml_of(response)


def _assert_private(response) -> None:
    assert_none_of(response, SECRETS)


def _post(client: FlaskClient, key: str | None, report: Report | int | str, fmt: str = "json",
          **fields: str):
    request_id = report.id if isinstance(report, Report) else report
    data = {"service_request_id": str(request_id), "update_id": "u-1", **fields}
    if key is not None:
        data["api_key"] = key
    return client.post(f"{UPDATES}.{fmt}", data=data)


def _error(response) -> str:
    return response.get_json()[0]["description"]


def _topics(session: Session, event_id: int) -> list[str]:
    return sorted(m.topic for m in session.scalars(select(OutboxMessage))
                  if m.payload.get("event_id") == event_id)


# GET


def test_updates_are_the_public_status_changes_and_replies_oldest_first(
        client: FlaskClient, world: dict, history: dict) -> None:
    response = client.get(f"{UPDATES}.json")
    assert response.status_code == 200
    body = response.get_json()
    request_id = str(world["assigned"].id)
    assert [u["update_id"] for u in body] == [str(history["started"].id),
                                              str(history["reply"].id)]
    started, reply = body
    assert started == {"update_id": str(history["started"].id),
                       "service_request_id": request_id, "status": "IN_PROGRESS",
                       "updated_datetime": started["updated_datetime"],
                       "description": "Työ alkaa", "media_url": ""}
    # A reply changes nothing: the status after it is the latest one set in public; the
    # internal change to WAITING in between is not told by it.
    assert reply["status"] == "IN_PROGRESS"
    assert reply["description"] == "Korjataan viikolla"
    assert datetime.fromisoformat(started["updated_datetime"]).utcoffset() is not None
    _assert_private(response)


def test_updates_in_xml_are_request_update_elements(client: FlaskClient, world: dict,
                                                    history: dict) -> None:
    response = client.get(f"{UPDATES}.xml?api_key=anything")
    root = _xml(response)
    assert root.tag == "service_request_updates"
    items = root.findall("request_update")
    assert [i.findtext("update_id") for i in items] == [str(history["started"].id),
                                                       str(history["reply"].id)]
    assert items[0].findtext("status") == "IN_PROGRESS"
    assert items[0].findtext("service_request_id") == str(world["assigned"].id)
    assert items[1].findtext("description") == "Korjataan viikolla"
    assert items[1].findtext("media_url") == ""
    assert items[1].findtext("updated_datetime").endswith(("+02:00", "+03:00"))
    _assert_private(response)


def test_the_window_filters_by_the_updates_time_and_defaults_to_90_days(
        client: FlaskClient, world: dict, history: dict) -> None:
    old = history["old"].created_at
    start, end = (old - DAY).isoformat(), (old + DAY).isoformat()
    body = client.get(UPDATES + ".json", query_string={"start_date": start,
                                                       "end_date": end}).get_json()
    assert [u["update_id"] for u in body] == [str(history["old"].id)]
    assert body[0]["status"] == "FIXED"
    default = client.get(f"{UPDATES}.json").get_json()
    assert str(history["old"].id) not in [u["update_id"] for u in default]
    since = (history["reply"].created_at - timedelta(minutes=1)).isoformat()
    later = client.get(UPDATES + ".json", query_string={"start_date": since}).get_json()
    assert [u["update_id"] for u in later] == [str(history["reply"].id)]


def test_a_request_asked_for_gives_all_its_updates_without_a_window(
        client: FlaskClient, world: dict, history: dict) -> None:
    body = client.get(f"{UPDATES}.json?service_request_id={world['foreign'].id}").get_json()
    assert [u["update_id"] for u in body] == [str(history["old"].id)]
    hidden = client.get(f"{UPDATES}.json?service_request_id={world['hidden'].id}").get_json()
    assert hidden == []


@pytest.mark.parametrize(("query", "field"), [
    ("start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z", "end_date"),
    ("start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z", "end_date"),
    ("start_date=yesterday", "start_date"),
    ("service_request_id=abc", "service_request_id"),
])
def test_bad_windows_are_refused_naming_the_parameter(client: FlaskClient, world: dict,
                                                      query: str, field: str) -> None:
    response = client.get(f"{UPDATES}.json?{query}")
    assert response.status_code == 400
    assert _error(response).startswith(f"{field}:")
    root = _xml(client.get(f"{UPDATES}.xml?{query}"))
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400"


# POST by the system of the report's party


def test_a_party_system_changes_the_status_in_public_and_the_reporter_is_told(
        client: FlaskClient, session: Session, world: dict) -> None:
    report = world["assigned"]
    response = _post(client, world["keys"]["party"], report, status="in_progress",
                     description="Asentaja on matkalla", email=SECRETS[6],
                     first_name="Muu", last_name="Käsittelijä Zorro",
                     updated_datetime="2026-12-01T10:00:00+02:00",
                     media_url="https://katu.example.fi/kuva.jpg")
    assert response.status_code == 200, response.data
    event_id = int(response.get_json()[0]["update_id"])
    session.expire_all()
    changed = session.get(Report, report.id)
    assert changed.status is ReportStatus.IN_PROGRESS
    assert changed.first_response_at is not None  # the figures count it as a person's answer
    event = session.get(ReportEvent, event_id)
    assert (event.kind, event.is_public, event.note) == (
        EventKind.STATUS_CHANGED, True, "Asentaja on matkalla")
    assert event.actor == "Katujärjestelmä"
    assert event.data["media_url"] == "https://katu.example.fi/kuva.jpg"
    assert event.data["update_id"] == "u-1"
    assert SECRETS[6] not in str(event.data) and "Zorro" not in str(event.data)
    assert _topics(session, event_id) == [OutboxTopic.REPORT_STATUS_CHANGED.value]
    listed = client.get(f"{UPDATES}.json?service_request_id={report.id}")
    assert [u["update_id"] for u in listed.get_json()] == [str(event_id)]
    assert listed.get_json()[0]["status"] == "IN_PROGRESS"
    _assert_private(listed)


def test_a_party_system_without_a_new_status_replies_in_public(
        client: FlaskClient, session: Session, world: dict) -> None:
    response = _post(client, world["keys"]["party"], world["assigned"], fmt="xml",
                     status="OPEN", description="Tarkistamme asian")
    root = _xml(response)
    assert root.tag == "service_request_updates"
    event_id = int(root.findtext("request_update/update_id"))
    event = session.get(ReportEvent, event_id)
    assert (event.kind, event.is_public, event.note) == (EventKind.REPLY, True,
                                                         "Tarkistamme asian")
    assert session.get(Report, world["assigned"].id).status is ReportStatus.ASSIGNED
    assert _topics(session, event_id) == [OutboxTopic.REPORT_REPLIED.value]


def test_the_same_update_twice_changes_the_report_once(
        client: FlaskClient, session: Session, world: dict) -> None:
    first = _post(client, world["keys"]["party"], world["assigned"], status="FIXED",
                  description="Korjattu")
    again = _post(client, world["keys"]["party"], world["assigned"], status="FIXED",
                  description="Korjattu")
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()
    report_id = world["assigned"].id
    session.expire_all()
    assert session.get(Report, report_id).fixed_at is not None
    assert session.scalar(select(func.count()).select_from(ReportEvent).where(
        ReportEvent.report_id == report_id,
        ReportEvent.kind == EventKind.STATUS_CHANGED)) == 1
    assert session.scalar(select(func.count()).select_from(Open311UpdateReceived)) == 1
    event_id = int(first.get_json()[0]["update_id"])
    # Fixed, as by a person: the reporter is told and asked "is it fixed?" - once.
    assert _topics(session, event_id) == sorted([OutboxTopic.REPORT_FIX_CHECK_STARTED.value,
                                                 OutboxTopic.REPORT_STATUS_CHANGED.value])


@pytest.mark.parametrize(("report_name", "status", "says"), [
    ("fixed", "IN_PROGRESS", "no longer changes its status"),
    ("assigned", "DUPLICATE", "merging"),
    ("assigned", "RESOLVED", "No status 'RESOLVED'"),
])
def test_a_status_the_party_may_not_set_now_is_refused_and_nothing_changes(
        client: FlaskClient, session: Session, world: dict, report_name: str, status: str,
        says: str) -> None:
    report = world[report_name]
    before = report.status
    response = _post(client, world["keys"]["party"], report, status=status,
                     description="Jotain")
    assert response.status_code == 400
    assert _error(response).startswith("status:")
    assert says in _error(response)
    session.expire_all()
    assert session.get(Report, report.id).status is before
    assert session.scalar(select(func.count()).select_from(Open311UpdateReceived)) == 0


def test_the_status_a_request_has_already_is_no_change_with_an_id_of_its_record(
        client: FlaskClient, session: Session, world: dict) -> None:
    response = _post(client, world["keys"]["party"], world["fixed"], status="CLOSED")
    again = _post(client, world["keys"]["party"], world["fixed"], fmt="xml", status="CLOSED")
    assert response.status_code == 200
    received = session.scalar(select(Open311UpdateReceived))
    # Never empty (FixMyStreet resends an update answered without an id), the same again.
    assert response.get_json() == [{"update_id": f"r{received.id}"}]
    assert _xml(again).findtext("request_update/update_id") == f"r{received.id}"
    assert received.event_id is None
    assert session.get(Report, world["fixed"].id).status is ReportStatus.FIXED


# POST by the system that sent the report, and by others


def test_the_system_that_sent_a_report_adds_the_reporters_information(
        client: FlaskClient, session: Session, world: dict) -> None:
    report = world["sent"]
    response = _post(client, world["keys"]["app"], report, status="FIXED",
                     description="Lisätieto: valo vilkkuu")
    assert response.status_code == 200, response.data
    event = session.get(ReportEvent, int(response.get_json()[0]["update_id"]))
    assert (event.kind, event.is_public, event.actor) == (EventKind.COMMENT, False,
                                                          "reporter")
    assert event.note == "Lisätieto: valo vilkkuu"
    assert event.data["via"] == "open311"
    # Its status word is ignored: a reporter's app does not decide the status.
    assert session.get(Report, report.id).status is ReportStatus.ASSIGNED
    assert _topics(session, event.id) == [OutboxTopic.REPORT_INFORMATION_ADDED.value]
    assert client.get(f"{UPDATES}.json?service_request_id={report.id}").get_json() == []


def test_a_status_only_from_the_sending_system_changes_nothing_and_is_no_error(
        client: FlaskClient, session: Session, world: dict) -> None:
    report = world["sent"]
    response = _post(client, world["keys"]["app"], report, status="FIXED")
    assert response.status_code == 200, response.data
    received = session.scalar(select(Open311UpdateReceived))
    assert response.get_json() == [{"update_id": f"r{received.id}"}]
    assert _post(client, world["keys"]["app"], report,
                 status="FIXED").get_json() == response.get_json()
    session.expire_all()
    assert session.get(Report, report.id).status is ReportStatus.ASSIGNED
    assert session.scalar(select(func.count()).select_from(ReportEvent).where(
        ReportEvent.report_id == report.id)) == 0


@pytest.mark.parametrize(("key", "report_name", "status"), [
    ("stranger", "assigned", 403), ("app", "assigned", 403), ("party", "foreign", 403),
    ("stranger", "hidden", 404), ("party", "hidden", 404),
])
def test_a_request_neither_of_the_keys_party_nor_sent_with_it_is_refused(
        client: FlaskClient, session: Session, world: dict, key: str, report_name: str,
        status: int) -> None:
    response = _post(client, world["keys"][key], world[report_name], status="FIXED",
                     description="Ei sinun")
    assert response.status_code == status
    assert _error(response).startswith("service_request_id:")
    assert session.scalar(select(func.count()).select_from(Open311UpdateReceived)) == 0


def test_a_missing_or_revoked_key_is_forbidden(client: FlaskClient, session: Session,
                                                world: dict) -> None:
    assert _post(client, None, world["assigned"], description="x").status_code == 403
    revoke_api_key(session, "Katujärjestelmä")
    response = _post(client, world["keys"]["party"], world["assigned"], fmt="xml",
                     description="x")
    assert response.status_code == 403
    assert "revoked" in _xml(response).findtext("error/description")


def test_a_description_of_4001_characters_is_refused_and_4000_taken(
        client: FlaskClient, world: dict) -> None:
    response = _post(client, world["keys"]["party"], world["assigned"], description="a" * 4001)
    assert response.status_code == 400
    assert _error(response).startswith("description:")
    taken = _post(client, world["keys"]["party"], world["assigned"], description="a" * 4000)
    assert taken.status_code == 200


@pytest.mark.parametrize("request_id", ["999999", "abc", "0", "\x00"])
def test_an_unknown_request_is_not_found(client: FlaskClient, world: dict,
                                         request_id: str) -> None:
    response = _post(client, world["keys"]["party"], request_id, description="x")
    assert response.status_code == 404
    assert _error(response).startswith("service_request_id:")
    assert "\x00" not in _error(response)  # never echoed


@pytest.mark.parametrize(("fields", "field"), [
    ({"update_id": ""}, "update_id"), ({"update_id": "x" * 201}, "update_id"),
    ({"updated_datetime": "eilen"}, "updated_datetime"),
    ({"media_url": "file:///etc/passwd"}, "media_url"),
    ({"description": "nolla\x00merkki"}, "description"), ({"status": "FIX\x01ED"}, "status"),
])
def test_bad_fields_are_refused_naming_them(client: FlaskClient, world: dict, fields: dict,
                                            field: str) -> None:
    response = _post(client, world["keys"]["party"], world["assigned"],
                     **{"description": "x", **fields})
    assert response.status_code == 400
    assert _error(response).startswith(f"{field}:")


def test_an_update_id_used_for_another_request_is_refused(client: FlaskClient,
                                                          world: dict) -> None:
    assert _post(client, world["keys"]["party"], world["assigned"],
                 description="x").status_code == 200
    response = _post(client, world["keys"]["party"], world["fixed"], description="y")
    assert response.status_code == 400
    assert _error(response).startswith("update_id:")


# The service, as the Open311 puller calls it for updates pulled from a party's system


def test_an_update_pulled_from_a_party_system_is_applied_once(session: Session,
                                                              world: dict) -> None:
    sender = UpdateSender(api_key_id=None, party_id=world["party"].id)
    update = ReceivedUpdate(update_id="ext-7", status="ACTION_SCHEDULED",
                            description="Odottaa kevättä", updated_at=None)
    first = apply_received_update(session, sender, world["assigned"].id, update,
                                  time_zone="Europe/Helsinki")
    again = apply_received_update(session, sender, world["assigned"].id, update,
                                  time_zone="Europe/Helsinki")
    assert first.event_id is not None and first == again
    assert first.update_id == str(first.event_id)
    event = session.get(ReportEvent, first.event_id)
    assert event.to_status is ReportStatus.WAITING
    assert event.actor == "Katuyksikkö (Open311)"
    # Its data was committed with the change (not after it, in a second transaction).
    assert event.data["update_id"] == "ext-7"
    received = session.scalar(select(Open311UpdateReceived))
    assert (received.party_id, received.api_key_id, received.event_id) == (
        world["party"].id, None, first.event_id)


def test_a_sender_is_a_key_or_a_party() -> None:
    with pytest.raises(ValueError, match="key or pulled"):
        UpdateSender(api_key_id=None, party_id=None)


def test_an_update_both_pulled_and_pushed_by_the_party_system_applies_once(
        client: FlaskClient, session: Session, world: dict) -> None:
    report, party_id, key_id = (world["assigned"].id, world["party"].id,
                                world["key_rows"]["party"].id)
    pulled = apply_received_update(
        session, UpdateSender(api_key_id=None, party_id=party_id), report,
        ReceivedUpdate(update_id="sys-42", status=None, description="Korjataan huomenna",
                       updated_at=None), time_zone="Europe/Helsinki")
    pushed = _post(client, world["keys"]["party"], report, update_id="sys-42",
                   description="Korjataan huomenna")
    assert pushed.status_code == 200, pushed.data
    assert pushed.get_json() == [{"update_id": pulled.update_id}]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ReportEvent).where(
        ReportEvent.report_id == report, ReportEvent.kind == EventKind.REPLY)) == 1
    # Pushed first, then pulled: the same once more.
    first = _post(client, world["keys"]["party"], report, update_id="sys-43",
                  description="Valmista tuli")
    again = apply_received_update(
        session, UpdateSender(api_key_id=None, party_id=party_id), report,
        ReceivedUpdate(update_id="sys-43", status=None, description="Valmista tuli",
                       updated_at=None), time_zone="Europe/Helsinki")
    assert first.get_json() == [{"update_id": again.update_id}]
    received = session.scalar(select(Open311UpdateReceived).where(
        Open311UpdateReceived.update_id == "sys-43"))
    assert (received.party_id, received.api_key_id) == (party_id, key_id)


def test_a_client_apps_key_is_a_sender_of_its_own(client: FlaskClient, session: Session,
                                                  world: dict) -> None:
    # The same update_id from the party's system and from a client app are two updates.
    assert _post(client, world["keys"]["party"], world["assigned"], update_id="7",
                 description="Puolue").status_code == 200
    response = _post(client, world["keys"]["app"], world["sent"], update_id="7",
                     description="Sovellus")
    assert response.status_code == 200, response.data
    assert session.get(ReportEvent, int(response.get_json()[0]["update_id"])).note == "Sovellus"
    assert session.scalar(select(func.count()).select_from(Open311UpdateReceived)) == 2


def test_fixmystreets_extended_update_id_is_taken(client: FlaskClient, session: Session,
                                                  world: dict) -> None:
    # FixMyStreet with use_extended_updates: update_id_ext, and service_request_id_ext for
    # its own id of the request (never ours: service_request_id still comes).
    data = {"service_request_id": str(world["assigned"].id), "update_id_ext": "fms-9",
            "service_request_id_ext": str(world["foreign"].id),
            "public_anonymity_required": "FALSE", "description": "Laajennettu",
            "api_key": world["keys"]["party"]}
    response = client.post(f"{UPDATES}.json", data=data)
    assert response.status_code == 200, response.data
    event = session.get(ReportEvent, int(response.get_json()[0]["update_id"]))
    assert (event.report_id, event.data["update_id"]) == (world["assigned"].id, "fms-9")
    again = client.post(f"{UPDATES}.json", data=data)
    assert again.get_json() == response.get_json()
    without_ours = {k: v for k, v in data.items() if k != "service_request_id"}
    refused = client.post(f"{UPDATES}.json", data=without_ours)
    assert refused.status_code == 400
    assert _error(refused).startswith("service_request_id: Missing")


@pytest.mark.parametrize("update_id", ["\u2028", "   ", "a\u2028b"])
def test_a_blank_or_separator_update_id_is_told_what_is_wrong(client: FlaskClient,
                                                              world: dict,
                                                              update_id: str) -> None:
    response = _post(client, world["keys"]["party"], world["assigned"], update_id=update_id,
                     description="x")
    assert response.status_code == 400
    assert _error(response).startswith("update_id:")
    assert "Missing" not in _error(response)
    assert "blank" in _error(response) or "separator" in _error(response)


def test_poison_strings_from_a_pulled_update_are_cleaned_or_refused(
        session: Session, world: dict) -> None:
    sender = UpdateSender(api_key_id=None, party_id=world["party"].id)
    report_id = world["assigned"].id

    def apply(**fields: object):
        update = ReceivedUpdate(**{"update_id": "p-1", "status": "IN_PROGRESS",
                                   "description": "Työ\x07 alkaa", "updated_at": None,
                                   **fields})
        return apply_received_update(session, sender, report_id, update,
                                     time_zone="Europe/Helsinki")

    for field, poison in (("description", {"description": "nolla\x00merkki"}),
                          ("update_id", {"update_id": "p\x00-1"}),
                          ("status", {"status": "IN\x00PROGRESS"})):
        with pytest.raises(InvalidInput) as refused:
            apply(**poison)
        assert refused.value.field == field
    session.expire_all()
    assert session.get(Report, report_id).status is ReportStatus.ASSIGNED
    assert session.scalar(select(func.count()).select_from(Open311UpdateReceived)) == 0
    # A media_url that is no http(s) address is dropped, not a reason to lose the update.
    applied = apply(media_url="http://x/\x00")
    event = session.get(ReportEvent, applied.event_id)
    assert (event.to_status, event.note) == (ReportStatus.IN_PROGRESS, "Työ alkaa")
    assert event.data["update_id"] == "p-1" and "media_url" not in event.data
    for index, url in enumerate(("javascript:alert(1)", "https://x.fi/" + "a" * 2000)):
        reply = apply(update_id=f"p-{index + 2}", status=None, media_url=url)
        assert "media_url" not in session.get(ReportEvent, reply.event_id).data


def test_a_naive_updated_datetime_is_the_municipalitys_time(session: Session,
                                                           world: dict) -> None:
    applied = apply_received_update(
        session, UpdateSender(api_key_id=None, party_id=world["party"].id),
        world["assigned"].id,
        ReceivedUpdate(update_id="t-1", status=None, description="Aika",
                       updated_at=datetime(2026, 12, 1, 10, 0)), time_zone="Europe/Helsinki")
    stamped = session.get(ReportEvent, applied.event_id).data["updated_datetime"]
    assert datetime.fromisoformat(stamped) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

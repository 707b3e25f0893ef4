"""Open311 GET requests' Helsinki/6Aika extensions: extensions=true (detailed_status, the
public log, the photos), locale, bbox, lat+long+radius, updated_after/updated_before, status
lists and paging, in JSON and in XML parsed as a client would."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import EventKind, Photo, ReportEvent
from tests.integration.factories import make_report
from tests.integration.open311.test_open311_reads import (  # noqa: F401 - world: a fixture
    BASE,
    OFFSET,
    SECRETS,
    _assert_private,
    _xml,
    world,
)

INTERNAL_STATUS_NOTE = "INTERNAL-STATUS-NOTE-QX42"
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _ids(client: FlaskClient, query: str, fmt: str = "json") -> list[str]:
    response = client.get(f"{BASE}/requests.{fmt}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    if fmt == "json":
        return [r["service_request_id"] for r in response.get_json()]
    return [r.findtext("service_request_id") for r in _xml(response).findall("request")]


def _error(client: FlaskClient, path: str, fmt: str) -> tuple[int, str]:
    response = client.get(f"{BASE}/{path.replace('{fmt}', fmt)}")
    assert response.status_code == 400
    if fmt == "json":
        [error] = response.get_json()
        return error["code"], error["description"]
    root = _xml(response)
    assert root.tag == "errors"
    return int(root.findtext("error/code")), root.findtext("error/description")


@pytest.fixture
def history(session: Session, world: dict) -> dict:  # noqa: F811 - the fixture above
    """The public report's life: submitted, a public and an internal status change, replies
    and a note, a hidden and two shown photos."""
    report = world["public"]
    report.status = ReportStatus.IN_PROGRESS
    events = [
        (EventKind.SUBMITTED, ReportStatus.RECEIVED, None, True),
        (EventKind.STATUS_CHANGED, ReportStatus.ASSIGNED, INTERNAL_STATUS_NOTE, False),
        (EventKind.STATUS_CHANGED, ReportStatus.IN_PROGRESS, "Työ aloitettu", True),
        (EventKind.REPLY, None, "Korjaamme pian", True),
        (EventKind.NOTE, None, SECRETS[3], False),
    ]
    for hours, (kind, status, note, public) in enumerate(events):
        session.add(ReportEvent(report_id=report.id, kind=kind, actor=SECRETS[4],
                                to_status=status, note=note, is_public=public,
                                created_at=T0 + timedelta(hours=hours)))
    # The world's own reply and note (created now) come after these.
    second = Photo(report_id=report.id, position=2, image_key="k-second-photo", width=10,
                   height=10, bytes=100, upload_token_hash="f" * 64)
    session.add(second)
    session.commit()
    hidden = session.query(Photo).filter_by(report_id=report.id, hidden=True).one()
    return {**world, "second_photo": second, "hidden_photo": hidden}


def _expected_extension(history: dict) -> dict:
    photo_url = "http://localhost/photos/{}.jpg"
    return {
        "detailed_status": "in_progress",
        "log": [
            {"time": "2026-11-20T10:00:00+02:00", "status": "received", "note": ""},
            {"time": "2026-11-20T12:00:00+02:00", "status": "in_progress",
             "note": "Työ aloitettu"},
            {"time": "2026-11-20T13:00:00+02:00", "status": "in_progress",
             "note": "Korjaamme pian"},
            # The world's reply, written now (its time checked apart): the status it was
            # given in.
            {"time": None, "status": "in_progress", "note": "Korjataan viikolla"},
        ],
        "media_urls": [photo_url.format(history["photo"].id),
                       photo_url.format(history["second_photo"].id)],
    }


def _check_extension(found: dict, history: dict) -> None:
    expected = _expected_extension(history)
    log = found["log"]
    assert OFFSET.match(log[-1]["time"])
    log[-1]["time"] = None
    assert found == expected


@pytest.mark.parametrize("path", ["requests/{id}.json?extensions=true",
                                  "requests.json?extensions=true",
                                  "requests.json?extensions=TRUE&locale=sv",
                                  "requests/{id}.json?extensions=1&locale=en"])
def test_extensions_add_detailed_status_the_public_log_and_every_shown_photo(
        client: FlaskClient, history: dict, path: str) -> None:
    report = history["public"]
    response = client.get(f"{BASE}/{path.format(id=report.id)}")
    _assert_private(response)
    assert INTERNAL_STATUS_NOTE not in response.get_data(as_text=True)
    [found] = [r for r in response.get_json() if r["service_request_id"] == str(report.id)]
    _check_extension(found["extended_attributes"], history)
    language = path.split("locale=")[1] if "locale=" in path else "fi"
    assert found["service_name"] == f"streetlight {language}"
    assert found["status"] == "open"
    assert found["media_url"] == f"http://localhost/photos/{history['photo'].id}.jpg"


@pytest.mark.parametrize("query", ["", "extensions=false", "extensions=0"])
def test_without_extensions_there_are_no_extended_attributes(
        client: FlaskClient, history: dict, query: str) -> None:
    report = history["public"]
    for path in (f"requests/{report.id}.json?{query}", f"requests.json?{query}"):
        listed = client.get(f"{BASE}/{path}").get_json()
        assert listed
        assert all("extended_attributes" not in r for r in listed)
    root = _xml(client.get(f"{BASE}/requests.xml?{query}"))
    assert root.findall("request")
    assert root.find("request/extended_attributes") is None


@pytest.mark.parametrize("path", ["requests/{id}.xml?extensions=true",
                                  "requests.xml?extensions=true"])
def test_extensions_in_xml_name_each_item(client: FlaskClient, history: dict,
                                          path: str) -> None:
    report = history["public"]
    response = client.get(f"{BASE}/{path.format(id=report.id)}")
    _assert_private(response)
    assert INTERNAL_STATUS_NOTE not in response.get_data(as_text=True)
    [element] = [r for r in _xml(response).findall("request")
                 if r.findtext("service_request_id") == str(report.id)]
    extended = element.find("extended_attributes")
    assert extended.findtext("detailed_status") == "in_progress"
    entries = extended.findall("log/entry")
    assert [(e.findtext("status"), e.findtext("note")) for e in entries] == [
        ("received", ""), ("in_progress", "Työ aloitettu"), ("in_progress", "Korjaamme pian"),
        ("in_progress", "Korjataan viikolla")]
    assert entries[0].findtext("time") == "2026-11-20T10:00:00+02:00"
    assert all(OFFSET.match(e.findtext("time")) for e in entries)
    assert [m.text for m in extended.findall("media_urls/media_url")] == [
        f"http://localhost/photos/{history['photo'].id}.jpg",
        f"http://localhost/photos/{history['second_photo'].id}.jpg"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_extensions_never_show_internal_notes_staff_contacts_or_hidden_photos(
        client: FlaskClient, history: dict, fmt: str) -> None:
    report = history["public"]
    hidden_url = f"/photos/{history['hidden_photo'].id}.jpg"
    for path in (f"requests/{report.id}.{fmt}?extensions=true",
                 f"requests.{fmt}?extensions=true&status=open,closed",
                 f"requests.{fmt}?extensions=true&bbox=24,60,26,61"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 200
        _assert_private(response)
        text = response.get_data(as_text=True)
        assert INTERNAL_STATUS_NOTE not in text
        assert hidden_url not in text
        assert "Ei julkinen" not in text  # the report not public


def test_the_log_and_photos_of_a_page_come_in_one_more_query(
        client: FlaskClient, session: Session, connection: Connection, history: dict) -> None:
    statements: list[str] = []

    def _count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        statements.append(statement)

    def _queries(query: str) -> int:
        statements.clear()
        assert client.get(f"{BASE}/requests.json?{query}").status_code == 200
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    event.listen(connection, "before_cursor_execute", _count)
    try:
        plain, few = _queries("page_size=1000"), _queries("extensions=true")
        lights = history["public"].category
        for _ in range(6):
            make_report(session, lights)
        session.commit()
        assert _queries("extensions=true") == few
    finally:
        event.remove(connection, "before_cursor_execute", _count)
    assert few == plain + 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("path", "named"), [
    ("requests.{fmt}?extensions=yes", "extensions"),
    ("requests/1.{fmt}?extensions=maybe", "extensions"),
    ("requests.{fmt}?extensions=", "extensions"),
    ("requests.{fmt}?locale=de&extensions=true", "locale"),
    ("requests/1.{fmt}?locale=xx", "locale"),
])
def test_a_bad_extensions_or_locale_is_refused_naming_it(
        client: FlaskClient, path: str, named: str, fmt: str) -> None:
    code, description = _error(client, path, fmt)
    assert code == 400
    assert description.startswith(f"{named}:")

"""The exports page and a prepared file's page: asking for a file (CSRF), bad input named,
roles refused, the progress, the download to its requester only."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedbackgis.models import FileKind, FileState, OutboxMessage, OutboxTopic, PreparedFile
from feedbackgis.services.analytics.prepared_files import make_file, request_file
from tests.integration.export_world import PASSWORD, YEAR_2026, build_export_world
from tests.integration.staff.signing_in import csrf_token, make_staff_user, sign_in

PERIOD = {"from": "2026-01", "to": "2026-12"}


@pytest.fixture
def world(session):
    return build_export_world(session)


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_FOLDER", str(tmp_path))
    return tmp_path


def _sign_in(client, user):
    sign_in(client, user.email, PASSWORD)


def _post(client, **fields):
    data = {"csrf_token": csrf_token(client, "/staff/exports"), **PERIOD, **fields}
    return client.post("/staff/exports", data=data)


def test_the_exports_page_offers_formats_crs_and_contacts_to_who_may(client, world):
    _sign_in(client, world.admin)
    page = client.get("/staff/exports?from=2026-01&to=2026-12")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for value in ("csv", "xlsx", "geojson", "gpkg"):
        assert f'name="format" value="{value}"' in html
    assert 'name="crs" value="3067"' in html
    assert 'name="contact"' in html and "is logged as shown to you" in html
    assert "2 reports match the filters." in html
    assert '<input type="hidden" name="from" value="2026-01">' in html


def test_a_manager_is_not_offered_contacts_and_is_refused_them(client, world):
    _sign_in(client, world.manager)
    html = client.get("/staff/exports").get_data(as_text=True)
    assert 'name="format"' in html and 'name="contact"' not in html
    assert _post(client, format="csv", contact="1").status_code == 403


def test_a_role_without_figures_gets_403(client, session):
    make_staff_user(session)  # a moderator
    sign_in(client)
    assert client.get("/staff/exports").status_code == 403


def test_asking_for_an_export_queues_it_and_opens_its_page(client, session, world):
    _sign_in(client, world.admin)
    response = _post(client, format="xlsx", crs="3067")
    assert response.status_code == 303
    prepared = session.scalars(select(PreparedFile)).one()
    assert response.headers["Location"].startswith(f"/staff/files/{prepared.id}")
    assert (prepared.kind, prepared.params["options"], prepared.params["language"],
            prepared.with_contact) == (FileKind.XLSX, {"crs": 3067}, "en", False)
    assert prepared.params["filters"]["first_month"] == "2026-01-01"
    message = session.scalars(select(OutboxMessage)).one()
    assert message.topic == OutboxTopic.FILE_REQUESTED.value
    page = client.get(f"/staff/files/{prepared.id}").get_data(as_text=True)
    assert "Waiting to be made" in page and '<progress id="prepared-file-progress"' in page
    assert "staff/prepared-file.js" in page and "<script>" not in page
    assert "Reload the page to see how far it is" in page


def test_a_post_without_its_csrf_token_is_refused(client, world):
    _sign_in(client, world.admin)
    response = client.post("/staff/exports", data={**PERIOD, "format": "csv"})
    assert response.status_code == 400


@pytest.mark.parametrize(("fields", "message"), [
    ({"format": "pdf"}, "Choose one of the formats."),
    ({"format": "csv", "crs": "1234"}, "Choose one of the coordinate systems."),
    ({"format": "csv", "from": "2026-13"}, "Give the first month as YYYY-MM"),
    ({"format": "csv", "to": "2025-01"}, "Give the last month as YYYY-MM"),
])
def test_bad_input_is_a_422_naming_the_field(client, session, world, fields, message):
    _sign_in(client, world.admin)
    response = _post(client, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalars(select(PreparedFile)).all() == []


def test_the_file_page_shows_progress_then_the_download(client, session, world, folder):
    _sign_in(client, world.admin)
    prepared = request_file(session, world.admin, FileKind.XLSX, YEAR_2026, language="en",
                            time_zone="Europe/Helsinki")
    prepared.state, prepared.rows_done, prepared.rows_total = FileState.RUNNING, 1, 2
    session.commit()
    status = client.get(f"/staff/files/{prepared.id}.json").json
    assert status == {"state": "running", "state_text": "Being made", "percent": 50,
                      "progress_text": "1 of 2 reports written", "finished": False,
                      "download_url": None}
    assert client.get(f"/staff/files/{prepared.id}/download").status_code == 404

    assert make_file(session, prepared.id, folder, timedelta(hours=1)) is FileState.DONE
    status = client.get(f"/staff/files/{prepared.id}.json").json
    assert (status["state"], status["percent"], status["finished"]) == ("done", 100, True)
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=feedbackgis-reports-2026-01_2026-12.xlsx")
    assert download.data == (folder / prepared.path).read_bytes()
    page = client.get(f"/staff/files/{prepared.id}").get_data(as_text=True)
    assert "Download feedbackgis-reports-2026-01_2026-12.xlsx" in page
    assert re.search(r'<progress[^>]* value="100"', page)


def test_a_failed_file_shows_its_error(client, session, world, folder):
    _sign_in(client, world.admin)
    prepared = request_file(session, world.admin, FileKind.CSV, YEAR_2026, language="en",
                            time_zone="Europe/Helsinki")

    def broken(session, prepared, path, progress):
        raise ValueError("no room")

    make_file(session, prepared.id, folder, timedelta(hours=1), maker=broken)
    page = client.get(f"/staff/files/{prepared.id}").get_data(as_text=True)
    assert "Failed" in page and "Error: ValueError: no room" in page


def test_another_users_file_is_404_everywhere(client, session, world, folder):
    prepared = request_file(session, world.admin, FileKind.CSV, YEAR_2026, language="en",
                            time_zone="Europe/Helsinki")
    make_file(session, prepared.id, folder, timedelta(hours=1))
    _sign_in(client, world.handler)
    for path in ("", ".json", "/download"):
        assert client.get(f"/staff/files/{prepared.id}{path}").status_code == 404
    assert client.get("/staff/files/999999").status_code == 404


def test_a_heatmap_file_downloads_from_the_heatmap_page(client, session, world, folder):
    prepared = PreparedFile(kind=FileKind.HEATMAP, params={}, requested_by=world.admin.id,
                            cache_key="k", state=FileState.DONE, path="x.html")
    session.add(prepared)
    session.commit()
    _sign_in(client, world.admin)
    response = client.get(f"/staff/files/{prepared.id}/download")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/heatmap/files/{prepared.id}")

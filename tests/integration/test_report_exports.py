"""Report exports made by the prepared files' machinery, opened back with the readers of
each format and compared with the seeded reports (tests/integration/export_world.py)."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pyogrio
import pyogrio.raw
import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import select

from feedbackgis.errors import Forbidden, InvalidInput
from feedbackgis.i18n import catalog
from feedbackgis.models import (
    ContactAccess,
    FileKind,
    FileState,
    OutboxMessage,
    OutboxTopic,
    PreparedFile,
)
from feedbackgis.repositories.exports import export_batches, export_query
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.analytics.prepared_files import (
    FileParams,
    delete_expired_files,
    file_name,
    file_of,
    make_file,
    request_file,
)
from tests.integration.export_world import (
    CONTACT_1,
    DESCRIPTION_1,
    YEAR_2026,
    build_export_world,
    local,
)
from tests.integration.factories import make_report

KEEP = timedelta(hours=24)
TZ = "Europe/Helsinki"
ONE_POINT_IN_3067 = Transformer.from_crs(4326, 3067, always_xy=True).transform(24.9384, 60.1699)


@pytest.fixture
def world(session):
    return build_export_world(session)


def t(language: str, msgid: str) -> str:
    """A text as the catalog of `language` has it (for msgids new in this change)."""
    return catalog(language).ugettext(msgid)


def made(session, world, kind, *, folder: Path, user=None, crs=4326, with_contact=False,
         language="fi") -> tuple[PreparedFile, Path]:
    prepared = request_file(session, user or world.admin, kind, YEAR_2026,
                            options={"crs": crs}, with_contact=with_contact,
                            language=language, time_zone=TZ)
    assert make_file(session, prepared.id, folder, KEEP) is FileState.DONE
    session.refresh(prepared)
    return prepared, folder / prepared.path


def test_a_csv_export_has_every_report_of_the_period_in_finnish_with_safe_cells(
        session, world, tmp_path):
    prepared, path = made(session, world, FileKind.CSV, folder=tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: spreadsheets read UTF-8 right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        t("fi", "Report number"), "Luotu", "Luokka", "Tila", "Taho", "Alue", "Paikka", "Kuvaus",
        t("fi", "First response"), "Korjattu", "Määräaika",
        t("fi", "Working days to the first response"), t("fi", "Working days to fixed"),
        t("fi", "Times reopened"), t("fi", "Sent from"), "Kieli", "Pituusaste", "Leveysaste"]
    assert rows[1] == [
        str(world.first.id), "2026-03-03T10:00:00+02:00", "Katuvalo", "Korjattu",
        "Valaistus Oy", "Keskusta", "Mannerheimintie 1", "'" + DESCRIPTION_1,
        "2026-03-05T12:00:00+02:00", "2026-03-09T09:00:00+02:00", "2026-03-10T16:00:00+02:00",
        "2", "4", "1", "Puhelin", "fi", "24.9384", "60.1699"]
    assert rows[2] == [
        str(world.second.id), "2026-07-15T18:30:00+03:00", "Katuvalo", "Odottaa ohjausta",
        "", "", "Kauppatori", "Roska-astia täynnä", "", "", "", "", "", "0",
        t("fi", "Computer"), "sv", "", ""]
    assert len(rows) == 3  # the report of 2025 is not in it
    assert (prepared.rows_done, prepared.rows_total, prepared.progress) == (2, 2, 100)
    assert prepared.byte_size == len(raw)
    assert file_name(prepared) == "feedbackgis-reports-2026-01_2026-12.csv"


@pytest.mark.parametrize(("language", "headers"), [
    ("sv", ["Skapad", "Kategori", "Status", "Aktör", "Område", "Plats", "Beskrivning"]),
    ("en", ["Created", "Category", "Status", "Party", "Zone", "Place", "Description"]),
])
def test_the_headers_and_words_are_in_the_language_asked_for(session, world, tmp_path,
                                                              language, headers):
    _, path = made(session, world, FileKind.CSV, folder=tmp_path, language=language)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][1:8] == headers
    expected = {"sv": ("Gatlyse", "Åtgärdad", "Telefon", "Longitud"),
                "en": ("Streetlight", "Fixed", "Phone", "Longitude")}[language]
    assert (rows[1][2], rows[1][3], rows[1][14], rows[0][16]) == expected


def test_an_xlsx_export_has_real_local_date_times_and_numbers(session, world, tmp_path):
    _, path = made(session, world, FileKind.XLSX, folder=tmp_path, language="en")
    sheet = openpyxl.load_workbook(path).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Report number", "Created", "Category"]
    first = rows[1]
    assert first[0] == world.first.id
    assert first[1] == datetime(2026, 3, 3, 10, 0)  # local wall-clock time, no zone
    assert first[8:11] == [datetime(2026, 3, 5, 12), datetime(2026, 3, 9, 9),
                           datetime(2026, 3, 10, 16)]
    assert first[11:14] == [2, 4, 1]
    assert first[7] == "'" + DESCRIPTION_1  # text, not a formula
    assert first[16:] == [24.9384, 60.1699]
    assert rows[2][1] == datetime(2026, 7, 15, 18, 30) and rows[2][16:] == [None, None]
    assert len(rows) == 3


@pytest.mark.parametrize("kind", [FileKind.GEOJSON, FileKind.GPKG])
@pytest.mark.parametrize("crs", [4326, 3067])
def test_a_geographic_export_has_the_points_in_the_chosen_crs(session, world, tmp_path,
                                                              kind, crs):
    _, path = made(session, world, kind, folder=tmp_path, crs=crs, language="en")
    info = pyogrio.read_info(path)
    assert info["features"] == 2
    assert pyogrio.read_info(path)["crs"] == f"EPSG:{crs}"
    meta, _, geometry, values = pyogrio.raw.read(path, datetime_as_string=True)
    columns = dict(zip(meta["fields"], values, strict=True))
    assert "Longitude" not in columns  # the geometry holds the point
    ids = list(columns["Report number"])
    assert ids == [world.first.id, world.second.id]
    point = pyogrio.raw.read(path, return_fids=False)[2][0]
    x, y = shapely.from_wkb(point).coords[0]
    expected = (24.9384, 60.1699) if crs == 4326 else ONE_POINT_IN_3067
    assert x == pytest.approx(expected[0], abs=1e-3 if crs == 3067 else 1e-9)
    assert y == pytest.approx(expected[1], abs=1e-3 if crs == 3067 else 1e-9)
    assert geometry[1] is None  # the report without a point: in the file, no geometry
    assert columns["Category"][0] == "Streetlight" and columns["Status"][1] == (
        "Waiting to be assigned")
    days = columns["Working days to fixed"]  # an integer field; the empty one reads as NaN
    assert days[0] == 4 and np.isnan(days[1])
    created = columns["Created"][0]
    if kind is FileKind.GPKG:  # GeoPackage's DateTime is in UTC
        assert created.startswith("2026-03-03T08:00:00") and created.endswith("Z")
    else:
        assert created == "2026-03-03T10:00:00+02:00"


def test_contacts_are_columns_only_when_asked_and_each_shown_one_is_logged(
        session, world, tmp_path):
    _, plain = made(session, world, FileKind.CSV, folder=tmp_path, language="en")
    assert "Email" not in plain.read_text(encoding="utf-8-sig").splitlines()[0]
    assert session.scalars(select(ContactAccess)).all() == []

    prepared, path = made(session, world, FileKind.CSV, folder=tmp_path, language="en",
                          with_contact=True)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][-3:] == ["Name", "Email", "Phone"]
    assert rows[1][-3:] == [CONTACT_1["name"], CONTACT_1["email"], "'+358401234567"]
    assert rows[2][-3:] == ["", "", ""]
    logged = session.scalars(select(ContactAccess)).all()
    assert [(a.report_id, a.staff_user_id, a.context) for a in logged] == [
        (world.first.id, world.admin.id, "export")]  # the second report has no contact
    assert prepared.with_contact


def test_a_manager_may_not_export_contacts_and_a_handler_sees_their_party_only(
        session, world, tmp_path):
    with pytest.raises(Forbidden):
        request_file(session, world.manager, FileKind.CSV, YEAR_2026, with_contact=True,
                     language="fi", time_zone=TZ)
    # A handler of another unit: the scope overrides the filters' party.
    prepared, path = made(session, world, FileKind.CSV, folder=tmp_path, user=world.handler)
    assert FileParams.of(prepared).filters.party_id == world.handler.party_id
    assert len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))) == 1


def test_bad_options_are_refused_naming_the_field(session, world):
    for options, field in (({"crs": 1234}, "crs"), ({"srid": 3067}, "srid"),
                           ({"crs": "3067"}, "crs")):
        with pytest.raises(InvalidInput) as refused:
            request_file(session, world.admin, FileKind.GPKG, YEAR_2026, options=options,
                         language="fi", time_zone=TZ)
        assert refused.value.field == field


def test_the_request_writes_the_row_and_its_outbox_message_together(session, world):
    prepared = request_file(session, world.admin, FileKind.XLSX, YEAR_2026, language="fi",
                            time_zone=TZ)
    assert prepared.state is FileState.QUEUED and prepared.requested_by == world.admin.id
    message = session.scalars(select(OutboxMessage)).one()
    assert (message.topic, message.payload) == (OutboxTopic.FILE_REQUESTED.value,
                                                {"file_id": prepared.id})
    assert file_of(session, world.admin, prepared.id) is prepared
    with pytest.raises(Exception, match="No such file"):
        file_of(session, world.manager, prepared.id)


def test_the_same_ask_of_unchanged_data_reuses_the_file_and_a_change_makes_a_new_one(
        session, world, tmp_path):
    first, _ = made(session, world, FileKind.CSV, folder=tmp_path)
    again = request_file(session, world.admin, FileKind.CSV, YEAR_2026, options={"crs": 4326},
                         language="fi", time_zone=TZ)
    assert again.id == first.id
    # Another language, CRS or format is another file.
    assert request_file(session, world.admin, FileKind.CSV, YEAR_2026, language="sv",
                        time_zone=TZ).id != first.id
    # Another user never gets this one.
    assert request_file(session, world.handler, FileKind.CSV, YEAR_2026, language="fi",
                        time_zone=TZ).id != first.id
    # A report changed (its updated_at moves on): a new file.
    world.second.description = "Roska-astia tyhjennetty"
    world.second.updated_at = datetime.now(UTC) + timedelta(minutes=1)
    session.commit()
    changed = request_file(session, world.admin, FileKind.CSV, YEAR_2026, language="fi",
                           time_zone=TZ)
    assert changed.id != first.id
    # A new report in the period: a new file again.
    report = make_report(session, world.category)
    report.created_at = local(5, 5, 10)
    session.commit()
    newer = request_file(session, world.admin, FileKind.CSV, YEAR_2026, language="fi",
                         time_zone=TZ)
    assert newer.id not in (first.id, changed.id)


def test_the_job_run_twice_does_the_work_once(session, world, tmp_path):
    prepared, path = made(session, world, FileKind.CSV, folder=tmp_path)
    finished, content = prepared.finished_at, path.read_bytes()
    path.write_bytes(b"left as it was")
    assert make_file(session, prepared.id, tmp_path, KEEP) is FileState.DONE
    session.refresh(prepared)
    assert prepared.finished_at == finished and path.read_bytes() == b"left as it was"
    assert content.count(b"\n") == 3
    assert make_file(session, prepared.id + 1000, tmp_path, KEEP) is None  # gone: nothing


def test_a_file_left_running_by_a_crashed_worker_is_made_again(session, world, tmp_path):
    prepared = request_file(session, world.admin, FileKind.GEOJSON, YEAR_2026, language="fi",
                            time_zone=TZ)
    prepared.state, prepared.rows_done, prepared.rows_total = FileState.RUNNING, 1, 2
    session.commit()
    assert make_file(session, prepared.id, tmp_path, KEEP) is FileState.DONE
    assert pyogrio.read_info(tmp_path / prepared.path)["features"] == 2
    assert [p.name for p in tmp_path.iterdir()] == [prepared.path]  # no temporary left


def test_a_failing_maker_leaves_the_file_failed_with_its_error(session, world, tmp_path):
    def broken(session, prepared, path, progress):
        progress(0, 5)
        path.write_text("half")
        raise RuntimeError("disk full")

    prepared = request_file(session, world.admin, FileKind.CSV, YEAR_2026, language="fi",
                            time_zone=TZ)
    assert make_file(session, prepared.id, tmp_path, KEEP, maker=broken) is FileState.FAILED
    session.refresh(prepared)
    assert (prepared.state, prepared.error, prepared.path) == (
        FileState.FAILED, "RuntimeError: disk full", None)
    assert list(tmp_path.iterdir()) == []
    # A failed file is not reused: asking again makes a new one.
    assert request_file(session, world.admin, FileKind.CSV, YEAR_2026, language="fi",
                        time_zone=TZ).id != prepared.id


def test_progress_is_committed_batch_by_batch_over_every_report(session, world, tmp_path):
    params_query = export_query(FileParams.of(_asked(session, world)).conditions(),
                                language="fi", time_zone=TZ, srid=4326, with_contact=False)
    batches = list(export_batches(session, params_query, batch_size=1))
    assert [[row.id for row in batch] for batch in batches] == [[world.first.id],
                                                                [world.second.id]]
    seen = []

    def counting(session, prepared, path, progress):
        from feedbackgis.services.analytics.exports import write_csv

        def noted(done, total):
            seen.append((done, total))
            progress(done, total)

        write_csv(session, prepared, path, noted)

    prepared = _asked(session, world)
    assert make_file(session, prepared.id, tmp_path, KEEP, maker=counting) is FileState.DONE
    assert seen == [(0, 2), (2, 2)]


def _asked(session, world) -> PreparedFile:
    return request_file(session, world.admin, FileKind.CSV, YEAR_2026, language="fi",
                        time_zone=TZ)


def test_expired_files_and_their_rows_are_deleted(session, world, tmp_path):
    old, old_path = made(session, world, FileKind.CSV, folder=tmp_path)
    fresh, fresh_path = made(session, world, FileKind.XLSX, folder=tmp_path)
    now = datetime.now(UTC)
    old.expires_at = now - timedelta(minutes=1)
    session.commit()
    assert delete_expired_files(session, tmp_path, now) == 1
    assert not old_path.exists() and fresh_path.exists()
    assert session.scalars(select(PreparedFile.id)).all() == [fresh.id]


@pytest.mark.parametrize("kind", [FileKind.GEOJSON, FileKind.GPKG])
def test_geographic_files_appended_in_parts_keep_the_order_and_an_empty_one_opens(
        session, world, tmp_path, monkeypatch, kind):
    from feedbackgis.services.analytics import exports

    monkeypatch.setattr(exports, "GEO_WRITE_ROWS", 1)  # each report appended on its own
    _, path = made(session, world, kind, folder=tmp_path, language="en")
    meta, _, geometry, values = pyogrio.raw.read(path)
    assert list(values[0]) == [world.first.id, world.second.id]
    assert geometry[0] is not None and geometry[1] is None

    empty = request_file(session, world.admin, kind, FigureFilters(
        first_month=datetime(2020, 1, 1).date(), last_month=datetime(2020, 12, 1).date()),
        language="en", time_zone=TZ)
    assert make_file(session, empty.id, tmp_path, KEEP) is FileState.DONE
    info = pyogrio.read_info(tmp_path / f"{empty.id}.{kind.value}")
    assert info["features"] == 0
    if kind is FileKind.GPKG:  # GeoJSON has no fields but those of its features
        assert "Report number" in list(info["fields"])

"""The geographic exports written column by column (numpy arrays, points packed as WKB):
every field of export_world's two reports of 2026 as read back, with the contacts (and
their log), and an export read in several batches keeping its order."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
import pyogrio.raw
import pytest
import shapely
from sqlalchemy import select

from feedbackgis.models import ContactAccess, FileKind, FileState
from feedbackgis.services.analytics import exports
from feedbackgis.services.analytics.prepared_files import make_file, request_file
from tests.integration.export_world import CONTACT_1, DESCRIPTION_1, YEAR_2026, build_export_world

KEEP = timedelta(hours=24)


@pytest.fixture
def world(session):
    return build_export_world(session)


def _made(session, world, kind, tmp_path, **options) -> dict[str, list]:
    prepared = request_file(session, world.admin, kind, YEAR_2026, language="en",
                            time_zone="Europe/Helsinki", **options)
    assert make_file(session, prepared.id, tmp_path, KEEP) is FileState.DONE
    session.refresh(prepared)
    meta, _, geometry, values = pyogrio.raw.read(tmp_path / prepared.path,
                                                 datetime_as_string=True)
    columns = {name: list(column) for name, column in zip(meta["fields"], values, strict=True)}
    columns["geometry"] = [None if wkb is None else shapely.from_wkb(wkb).coords[0]
                           for wkb in geometry]
    return columns


# The times of report 1 (Helsinki, +02:00 in March) and report 2 (+03:00 in July).
LOCAL = {"Created": ["2026-03-03T10:00:00+02:00", "2026-07-15T18:30:00+03:00"],
         "First response": ["2026-03-05T12:00:00+02:00", None],
         "Fixed": ["2026-03-09T09:00:00+02:00", None],
         "Due date": ["2026-03-10T16:00:00+02:00", None]}
UTC = {"Created": ["2026-03-03T08:00:00", "2026-07-15T15:30:00"],
       "First response": ["2026-03-05T10:00:00", None],
       "Fixed": ["2026-03-09T07:00:00", None],
       "Due date": ["2026-03-10T14:00:00", None]}


@pytest.mark.parametrize("kind", [FileKind.GEOJSON, FileKind.GPKG])
def test_every_field_of_a_geographic_export_with_contacts_reads_back(session, world,
                                                                     tmp_path, kind):
    columns = _made(session, world, kind, tmp_path, with_contact=True)
    assert columns["Report number"] == [world.first.id, world.second.id]
    assert columns["geometry"] == [(24.9384, 60.1699), None]
    assert columns["Category"] == ["Streetlight", "Streetlight"]
    assert columns["Status"] == ["Fixed", "Waiting to be assigned"]
    assert columns["Party"] == ["Valaistus Oy", None]
    assert columns["Zone"] == ["Keskusta", None]
    assert columns["Place"] == ["Mannerheimintie 1", "Kauppatori"]
    assert columns["Description"] == [DESCRIPTION_1, "Roska-astia täynnä"]
    assert columns["Working days to the first response"][0] == 2
    assert columns["Working days to fixed"][0] == 4
    assert np.isnan(columns["Working days to the first response"][1])
    assert columns["Times reopened"] == [1, 0]
    assert columns["Sent from"] == ["Phone", "Computer"]
    assert columns["Language"] == ["fi", "sv"]
    assert [columns[key] for key in ("Name", "Email", "Phone")] == [
        [CONTACT_1["name"], None], [CONTACT_1["email"], None], [CONTACT_1["phone"], None]]
    for header in LOCAL:
        if kind is FileKind.GPKG:  # DateTime in UTC, read back with its Z
            assert [value and value.removesuffix(".000Z").removesuffix("Z")
                    for value in columns[header]] == UTC[header], header
        else:
            assert columns[header] == LOCAL[header], header
    logged = session.scalars(select(ContactAccess.report_id)).all()
    assert logged == [world.first.id]  # the second report has no contact


@pytest.mark.parametrize("kind", [FileKind.GEOJSON, FileKind.GPKG])
def test_a_geographic_export_read_in_batches_keeps_every_report_in_order(
        session, world, tmp_path, monkeypatch, kind):
    monkeypatch.setattr(exports, "GEO_WRITE_ROWS", 1)  # one report a batch, appended
    columns = _made(session, world, kind, tmp_path, with_contact=True)
    assert columns["Report number"] == [world.first.id, world.second.id]
    assert columns["Status"] == ["Fixed", "Waiting to be assigned"]
    assert columns["Email"] == [CONTACT_1["email"], None]
    assert session.scalars(select(ContactAccess.report_id)).all() == [world.first.id]

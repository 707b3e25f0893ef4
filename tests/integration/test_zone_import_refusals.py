"""import_zones is all or nothing: every refusal leaves the zone table as it was."""
from __future__ import annotations

import pytest
import shapely
from sqlalchemy import func, select

from feedbackgis.errors import InvalidInput
from feedbackgis.models import Zone
from feedbackgis.services.zones.import_source import ImportRefused
from feedbackgis.services.zones.zone_import import ZoneImportOptions, import_zones
from tests.zone_files import SQUARE_3067, write_vector

from .factories import make_category, make_party, make_zone

LINE = shapely.LineString([(380_000, 6_670_000), (381_000, 6_671_000)])
POINT = shapely.Point(380_000, 6_670_000)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Zone))


def _import(session, path, **options):
    return import_zones(session, path, ZoneImportOptions(**options))


@pytest.fixture
def contractor(session):
    party = make_party(session, "Urakoitsija Oy")
    make_zone(session, party, shapely.box(24, 60, 25, 61))  # must survive every refusal
    session.commit()
    return party


def _refused(session, path, **options) -> ImportRefused:
    before = _count(session)
    with pytest.raises(ImportRefused) as caught:
        _import(session, path, **options)
    assert _count(session) == before
    return caught.value


@pytest.mark.parametrize(("bad", "reason"), [
    (POINT, "feature 2: a Point, not an area (zones must be polygons)"),
    (LINE, "feature 2: a LineString, not an area (zones must be polygons)"),
    (shapely.Polygon(), "feature 2: empty geometry"),
    (None, "feature 2: no geometry"),
])
def test_feature_that_is_not_an_area_refuses_the_whole_file(
    session, tmp_path, contractor, bad, reason
):
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067, bad, SQUARE_3067])
    error = _refused(session, path, party=contractor.name, replace=True)
    assert error.problems == [reason]
    assert "Nothing imported from z.gpkg: 1 problem(s)." in error.message
    assert error.others_importable


def test_every_problem_is_listed_with_its_feature_numbers(session, tmp_path, contractor):
    path = write_vector(tmp_path / "z.gpkg", [POINT, SQUARE_3067, LINE, POINT],
                        {"party": ["Urakoitsija Oy", "Haamu Oy", "Urakoitsija Oy", "Haamu Oy"]})
    error = _refused(session, path, party_field="party")
    assert error.problems == [
        "feature 1: a Point, not an area (zones must be polygons)",
        "feature 2: unknown party 'Haamu Oy'",
        "feature 3: a LineString, not an area (zones must be polygons)",
        "feature 4: a Point, not an area (zones must be polygons); unknown party 'Haamu Oy'",
    ]
    assert "feedbackgis parties add" in error.message and "Urakoitsija Oy" in error.message


def test_unknown_party_in_the_party_field_refuses_the_file(session, tmp_path, contractor):
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067] * 3,
                        {"party": ["Urakoitsija Oy", "Haamu Oy", "Haamu Oy"]})
    error = _refused(session, path, party_field="party")
    assert error.problems == ["features 2, 3: unknown party 'Haamu Oy'"]


def test_unknown_category_in_the_field_refuses_the_file(session, tmp_path, contractor):
    make_category(session, "lights")
    session.commit()
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067], {"cats": ["lights,nope"]})
    error = _refused(session, path, party=contractor.name, categories_field="cats")
    assert error.problems == ["feature 1: unknown category 'nope'"]


def test_unknown_party_or_category_on_the_command_line_is_an_error(session, tmp_path, contractor):
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067])
    with pytest.raises(InvalidInput, match="Unknown party 'Haamu Oy'.*known parties: Urakoitsija"):
        _import(session, path, party="Haamu Oy")
    with pytest.raises(InvalidInput, match="Unknown category code"):
        _import(session, path, party=contractor.name, categories="nope")
    assert _count(session) == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("zones.gpkg", "this is not a GeoPackage", "is not a readable GeoPackage file"),
    ("zones.csv", "a,b\n1,2\n", "unsupported file type '.csv'"),
])
def test_non_vector_file_is_refused_clearly(session, tmp_path, contractor, name, content,
                                            message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InvalidInput, match=message):
        _import(session, path, party=contractor.name)
    assert _count(session) == 1


def test_missing_file_is_refused_clearly(session, tmp_path, contractor):
    with pytest.raises(InvalidInput, match="missing.gpkg: no such file"):
        _import(session, tmp_path / "missing.gpkg", party=contractor.name)
    assert _count(session) == 1


def test_missing_field_lists_the_files_fields(session, tmp_path, contractor):
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067], {"nimi": ["A"]})
    with pytest.raises(InvalidInput, match="no field 'party'; its fields are: nimi"):
        _import(session, path, party_field="party")


@pytest.mark.parametrize(("options", "message"), [
    ({}, "Give --party NAME or --party-field FIELD"),
    ({"party": "Urakoitsija Oy", "party_field": "p"}, "not both"),
    ({"party": "Urakoitsija Oy", "priority": 1, "priority_field": "p"}, "not both"),
])
def test_contradictory_or_missing_options_are_errors(session, tmp_path, contractor, options,
                                                     message):
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067], {"p": ["x"]})
    with pytest.raises(InvalidInput, match=message):
        _import(session, path, **options)


def test_skip_invalid_imports_the_rest_and_reports_the_refused(session, tmp_path, contractor):
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067, POINT, SQUARE_3067])
    summary = _import(session, path, party=contractor.name, skip_invalid=True)
    assert (summary.features, summary.imported) == (3, 2)
    assert summary.refused == ["feature 2: a Point, not an area (zones must be polygons)"]
    assert _count(session) == 3


def test_skip_invalid_with_nothing_importable_still_refuses(session, tmp_path, contractor):
    path = write_vector(tmp_path / "z.gpkg", [POINT, LINE])
    error = _refused(session, path, party=contractor.name, skip_invalid=True)
    assert "No feature could be imported." in error.message and not error.others_importable


def test_refused_import_with_replace_keeps_the_old_zones(session, tmp_path, contractor):
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067, POINT])
    _refused(session, path, party=contractor.name, replace=True)
    assert session.scalar(select(Zone.party_id)) == contractor.id

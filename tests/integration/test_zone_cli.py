"""`feedbackgis zones ...` and `feedbackgis area ...` through Flask's CLI runner.

Setup data is committed (a savepoint here) before each command: the command's app context
removes the shared session when it ends, which rolls back anything left uncommitted.
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import func, select

from feedbackgis.models import ServiceArea, Zone
from feedbackgis.repositories.zones import service_area_covers
from tests.zone_files import SQUARE_3067, bow_tie, write_vector

from .factories import make_category, make_party, make_service_area, make_zone

TO_LONLAT = Transformer.from_crs(3067, 4326, always_xy=True)
POINT = shapely.Point(380_000, 6_670_000)


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=[str(a) for a in args])


@pytest.fixture
def contractor(session):
    party = make_party(session, "Urakoitsija Oy")
    session.commit()
    return party


def _count(session, model=Zone) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_import_prints_a_summary_with_the_crs_and_repairs(cli, session, tmp_path, contractor):
    path = write_vector(tmp_path / "alueet.gpkg", [SQUARE_3067, bow_tie()])
    result = cli("zones", "import", path, "--party", "Urakoitsija Oy")
    assert result.exit_code == 0, result.output
    assert "Read 2 feature(s)" in result.output and "Imported 2 zone(s)." in result.output
    assert "CRS: EPSG:3067 (ETRS89 / TM35FIN(E,N)), declared by the file; edges densified" \
        in result.output
    assert "feature 2: repaired an invalid polygon (Self-intersection" in result.output
    assert _count(session) == 2


def test_refused_file_exits_1_listing_the_problems_and_imports_nothing(
    cli, session, tmp_path, contractor
):
    path = write_vector(tmp_path / "alueet.gpkg", [SQUARE_3067, POINT, shapely.Polygon()])
    result = cli("zones", "import", path, "--party", "Urakoitsija Oy")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "Error: Nothing imported from alueet.gpkg: 2 problem(s)." in result.output
    assert "feature 2: a Point, not an area (zones must be polygons)" in result.output
    assert "feature 3: empty geometry" in result.output
    assert "--skip-invalid" in result.output
    assert _count(session) == 0


def test_skip_invalid_imports_the_rest_and_lists_the_refused(cli, session, tmp_path, contractor):
    path = write_vector(tmp_path / "alueet.gpkg", [SQUARE_3067, POINT])
    result = cli("zones", "import", path, "--party", "Urakoitsija Oy", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "Imported 1 zone(s)." in result.output
    assert "Refused (skipped with --skip-invalid):\n  feature 2: a Point" in result.output


def test_missing_file_and_unknown_party_are_clear_errors(cli, session, tmp_path, contractor):
    missing = cli("zones", "import", tmp_path / "nope.gpkg", "--party", "Urakoitsija Oy")
    assert missing.exit_code == 1 and "nope.gpkg: no such file" in missing.output
    path = write_vector(tmp_path / "alueet.gpkg", [SQUARE_3067])
    unknown = cli("zones", "import", path, "--party", "Haamu Oy")
    assert unknown.exit_code == 1 and "Unknown party 'Haamu Oy'" in unknown.output


def test_large_import_shows_progress_on_stderr(cli, session, tmp_path, contractor):
    squares = [shapely.box(380_000 + 100 * i, 6_670_000, 380_090 + 100 * i, 6_670_090)
               for i in range(600)]
    result = cli("zones", "import", write_vector(tmp_path / "many.gpkg", squares),
                 "--party", "Urakoitsija Oy")
    assert result.exit_code == 0, result.output
    assert "Checking geometries" in result.stderr and "Saving zones" in result.stderr
    assert "Checking geometries" not in result.stdout
    assert _count(session) == 600


def test_validity_days_are_local_and_the_last_day_is_inclusive(cli, session, tmp_path,
                                                              contractor):
    path = write_vector(tmp_path / "alueet.gpkg", [SQUARE_3067])
    result = cli("zones", "import", path, "--party", "Urakoitsija Oy",
                 "--valid-from", "2025-01-01", "--valid-to", "2025-12-31")
    assert result.exit_code == 0, result.output
    zone = session.scalar(select(Zone))
    # Midnight in Helsinki (UTC+2 in winter), and the end is the start of the next day.
    assert zone.valid_from == datetime(2024, 12, 31, 22, tzinfo=UTC)
    assert zone.valid_to == datetime(2025, 12, 31, 22, tzinfo=UTC)
    assert "2025-01-01..2025-12-31" in cli("zones", "list").output


def test_list_shows_party_priority_categories_validity_and_area(cli, session, contractor):
    lights = make_category(session, "lights")
    square = shapely.Polygon([TO_LONLAT.transform(*xy) for xy in SQUARE_3067.exterior.coords])
    zone = make_zone(session, contractor, square, name="Keskusta", priority=5,
                     categories=[lights])
    session.commit()
    result = cli("zones", "list")
    assert result.exit_code == 0, result.output
    header, row = result.output.splitlines()
    assert header.split() == ["id", "party", "name", "priority", "categories", "validity", "km²"]
    *cells, km2 = row.split()
    assert cells == [str(zone.id), "Urakoitsija", "Oy", "Keskusta", "5", "lights", "always"]
    assert float(km2) == pytest.approx(25.0, rel=2e-3)


def test_list_of_an_unknown_party_is_an_error(cli, contractor):
    result = cli("zones", "list", "--party", "Haamu Oy")
    assert result.exit_code == 1 and "No party named 'Haamu Oy'" in result.output


def test_delete_removes_only_that_partys_zones_after_confirmation(cli, session, contractor):
    other = make_party(session, "Toinen Oy")
    make_zone(session, contractor, shapely.box(24, 60, 25, 61))
    make_zone(session, other, shapely.box(24, 60, 25, 61))
    session.commit()
    unconfirmed = cli("zones", "delete", "--party", "Urakoitsija Oy")  # no input: aborted
    assert unconfirmed.exit_code == 1 and _count(session) == 2
    result = cli("zones", "delete", "--party", "Urakoitsija Oy", "--yes")
    assert result.exit_code == 0 and "Deleted 1 zone(s) of 'Urakoitsija Oy'." in result.output
    assert session.scalar(select(Zone.party_id)) == other.id


def test_area_import_replaces_the_service_area_with_the_union(cli, session, tmp_path):
    make_service_area(session, shapely.box(20, 60, 21, 61), name="Old")
    session.commit()
    west = shapely.box(380_000, 6_670_000, 385_000, 6_675_000)
    east = shapely.box(385_000, 6_670_000, 390_000, 6_675_000)
    result = cli("area", "import", write_vector(tmp_path / "kunta.gpkg", [west, east]),
                 "--name", "Testikunta")
    assert result.exit_code == 0, result.output
    assert "Service area 'Testikunta': 1 polygon(s), 50.0" in result.output
    assert "replaced 1 earlier service area(s)" in result.output
    assert _count(session, ServiceArea) == 1
    assert service_area_covers(session, *TO_LONLAT.transform(385_000, 6_672_500))
    assert not service_area_covers(session, 20.5, 60.5)


def test_area_import_refuses_a_file_with_a_point(cli, session, tmp_path):
    result = cli("area", "import", write_vector(tmp_path / "kunta.gpkg", [SQUARE_3067, POINT]))
    assert result.exit_code == 1 and "feature 2: a Point, not an area" in result.output
    assert _count(session, ServiceArea) == 0


@pytest.mark.parametrize("command", [("zones", "import"), ("zones", "list"),
                                     ("zones", "delete"), ("area", "import")])
def test_every_zone_command_has_help(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output

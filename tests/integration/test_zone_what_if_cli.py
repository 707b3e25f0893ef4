"""`feedbackgis zones what-if FILE`: the preview and the routing what-if on the command line,
and the audit trail of `zones import` and `zones delete`."""
from __future__ import annotations

import pytest
from shapely.geometry import box
from sqlalchemy import func, select

from feedbackgis.models import AdminChange, Zone
from tests.zone_files import write_geojson

from .factories import make_category, make_party, make_report, make_zone


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=[str(a) for a in args])


@pytest.fixture
def world(session):
    a, c = make_party(session, "A"), make_party(session, "C")
    make_zone(session, a, box(24.0, 60.0, 25.0, 61.0))
    lights = make_category(session, "lights")
    moving = make_report(session, lights, lon=24.7, lat=60.5)
    staying = make_report(session, lights, lon=24.2, lat=60.5)
    session.commit()
    # Ids, not rows: the command's app context ends the shared session.
    return a.id, c.id, moving.id, staying.id


def _c_file(tmp_path):
    return write_geojson(tmp_path / "c.geojson", [box(24.5, 60.0, 25.5, 61.0)],
                         [{"name": "C1"}])


def test_what_if_prints_the_plan_and_the_reports_that_would_move(cli, session, tmp_path, world):
    _a, _c, moving, staying = world
    result = cli("zones", "what-if", _c_file(tmp_path), "--party", "C", "--priority", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Would import 1 zone(s) for 'C'." in lines
    assert any(line.startswith("CRS: EPSG:4326") and "assumed" in line for line in lines)
    assert ("Routing what-if: of the last 2 report(s) (at most 1000), 1 would now go to "
            "another party.") in lines
    assert lines[-1].split() == [str(moving), "lights", "A", "C"]
    assert not any(line.split()[:1] == [str(staying)] for line in lines)
    assert ["A", "C", "1"] in [line.split() for line in lines]
    assert session.scalar(select(func.count()).select_from(Zone)) == 1  # nothing imported


def test_what_if_takes_the_number_of_reports(cli, session, tmp_path, world):
    result = cli("zones", "what-if", _c_file(tmp_path), "--party", "C", "--priority", "1",
                 "--reports", "1")
    assert result.exit_code == 0, result.output
    assert "of the last 1 report(s) (at most 1), 0 would now go" in result.output


def test_what_if_of_an_unreadable_file_is_a_clear_error(cli, tmp_path, world):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    result = cli("zones", "what-if", path, "--party", "C")
    assert result.exit_code == 1
    assert "is not a readable zip file" in result.output


def test_import_and_delete_are_in_the_audit_trail_as_made_by_the_cli(
    cli, session, tmp_path, world
):
    _a, c, _moving, _staying = world
    assert cli("zones", "import", _c_file(tmp_path), "--party", "C").exit_code == 0
    assert cli("zones", "delete", "--party", "C", "--yes").exit_code == 0
    changes = session.scalars(select(AdminChange).where(AdminChange.entity == "zone")
                              .order_by(AdminChange.id)).all()
    assert [(x.actor, x.entity_id, x.action, x.before, x.after) for x in changes] == [
        ("cli", str(c), "import", {"zones": 0}, {"source": "c.geojson", "zones": 1}),
        ("cli", str(c), "delete", {"zones": 1}, {"zones": 0}),
    ]

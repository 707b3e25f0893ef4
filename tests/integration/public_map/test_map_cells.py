"""map_cell, the public map's precomputed counts, stays what a direct query over the reports
says through every kind of write: insert, publish, move, reclassify, fix, reject, delete,
bulk statements, truncation, and a rebuild from scratch."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from feedbackgis.domain.map_grid import MAX_GRID_ZOOM, cell_x, cell_y
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import MapCell, Report
from feedbackgis.repositories.public_map import rebuild_map_cells

from ..factories import make_category
from .map_checks import STORED_CELLS, assert_map_cells_match_the_reports, cells, put_report

NOW = datetime.now(UTC)


@pytest.fixture
def categories(session):
    return [make_category(session, "streetlight"), make_category(session, "pothole")]


def _scatter(session, categories, count, seed=7):
    """`count` reports around Helsinki over three years, in every status."""
    rng = random.Random(seed)
    statuses = list(ReportStatus)
    reports = [
        put_report(session, rng.choice(categories), 24.94 + rng.gauss(0, 0.05),
                   60.17 + rng.gauss(0, 0.02), status=rng.choice(statuses),
                   public=rng.random() < 0.8,
                   created_at=NOW - timedelta(days=rng.uniform(0, 3 * 365)), flush=False)
        for _ in range(count)
    ]
    session.flush()
    return reports


def test_a_published_report_is_counted_at_every_grid_zoom_for_its_category_and_periods(
        connection, session, categories):
    put_report(session, categories[0], 24.94, 60.17,
               created_at=datetime(2025, 3, 10, 8, 0, tzinfo=UTC))
    rows = session.execute(select(MapCell)).scalars().all()
    assert len(rows) == (MAX_GRID_ZOOM + 1) * 2 * 3
    assert {r.grid_zoom for r in rows} == set(range(MAX_GRID_ZOOM + 1))
    assert {r.category_id for r in rows} == {0, categories[0].id}
    assert {(r.year, r.month) for r in rows} == {(0, 0), (2025, 0), (2025, 3)}
    assert all(r.report_count == 1 and not r.fixed for r in rows)
    assert_map_cells_match_the_reports(connection)


def test_unpublished_rejected_and_unpinned_reports_are_not_counted(connection, session,
                                                                    categories):
    put_report(session, categories[0], 24.94, 60.17, public=False)
    put_report(session, categories[0], 24.94, 60.17, status=ReportStatus.REJECTED)
    put_report(session, categories[0], None, None, address="Mannerheimintie 1")
    assert session.scalar(select(func.count()).select_from(MapCell)) == 0


def test_the_counts_follow_publishing_moving_reclassifying_fixing_rejecting_and_deleting(
        connection, session, categories):
    reports = _scatter(session, categories, 40)
    assert_map_cells_match_the_reports(connection)
    hidden = next(r for r in reports if not r.is_public)
    hidden.is_public = True  # moderation publishes it
    session.flush()
    assert_map_cells_match_the_reports(connection)
    shown = [r for r in reports if r.is_public and r.status != ReportStatus.REJECTED]
    session.execute(text("UPDATE report SET location = ST_SetSRID(ST_MakePoint(25.1, 60.25), "
                         "4326) WHERE id = :id"), {"id": shown[0].id})  # staff move the pin
    assert_map_cells_match_the_reports(connection)
    other = categories[1] if shown[1].category_id == categories[0].id else categories[0]
    shown[1].category_id = other.id  # reclassified
    shown[2].status = ReportStatus.FIXED
    shown[3].status = ReportStatus.REJECTED
    shown[4].created_at = NOW - timedelta(days=2000)  # a corrected date
    session.flush()
    assert_map_cells_match_the_reports(connection)
    session.delete(shown[5])
    shown[6].is_public = False  # unpublished again
    session.flush()
    assert_map_cells_match_the_reports(connection)


def test_bulk_updates_and_deletes_keep_the_counts(connection, session, categories):
    _scatter(session, categories, 60)
    session.execute(text("UPDATE report SET status = 'closed' WHERE status = 'fixed'"))
    session.execute(text("UPDATE report SET location = ST_Translate(location, 0.01, 0.002)"))
    assert_map_cells_match_the_reports(connection)
    session.execute(text("DELETE FROM report WHERE created_at < now() - interval '1 year'"))
    assert_map_cells_match_the_reports(connection)


def test_an_update_that_leaves_the_map_as_it_was_writes_no_cell(connection, session,
                                                                  categories):
    report = put_report(session, categories[0], 24.94, 60.17, status=ReportStatus.RECEIVED)
    before = session.execute(text("SELECT xmin::text, * FROM map_cell ORDER BY 2, 3, 4, 5, 6, "
                                  "7, 8")).all()
    report.status = ReportStatus.ASSIGNED  # still open
    report.description = "Korjattu kuvaus"
    session.flush()
    after = session.execute(text("SELECT xmin::text, * FROM map_cell ORDER BY 2, 3, 4, 5, 6, "
                                 "7, 8")).all()
    assert after == before


def test_cells_whose_last_report_goes_are_deleted(connection, session, categories):
    reports = _scatter(session, categories, 10)
    for report in reports:
        session.delete(report)
    session.flush()
    assert session.scalar(select(func.count()).select_from(MapCell)) == 0


def test_truncating_the_reports_empties_the_counts(connection, session, categories):
    _scatter(session, categories, 5)
    session.execute(text("TRUNCATE report CASCADE"))
    assert session.scalar(select(func.count()).select_from(MapCell)) == 0


def test_a_rebuild_computes_the_same_counts_as_the_triggers_kept(connection, session,
                                                                  categories):
    reports = _scatter(session, categories, 80)
    for report in reports[::3]:
        report.status = ReportStatus.CLOSED
    session.flush()
    kept_by_triggers = cells(connection, STORED_CELLS)
    rebuild_map_cells(session)
    rebuilt = cells(connection, STORED_CELLS)
    assert rebuilt.keys() == kept_by_triggers.keys()
    for key, (count, lon_sum, lat_sum) in rebuilt.items():
        assert kept_by_triggers[key][0] == count
        assert kept_by_triggers[key][1] == pytest.approx(lon_sum, abs=1e-9)
        assert kept_by_triggers[key][2] == pytest.approx(lat_sum, abs=1e-9)


@pytest.mark.parametrize(("lon", "lat"), [(24.94, 60.17), (-180.0, 85.1), (180.0, -89.0),
                                          (0.0, 0.0), (-73.98, 40.75), (151.2, -33.87)])
def test_python_and_the_database_put_a_point_in_the_same_cell(session, lon, lat):
    for grid_zoom in range(MAX_GRID_ZOOM + 1):
        stored = session.execute(text("SELECT map_cell_x(:lon, :g), map_cell_y(:lat, :g)"),
                                 {"lon": lon, "lat": lat, "g": grid_zoom}).one()
        assert tuple(stored) == (cell_x(lon, grid_zoom), cell_y(lat, grid_zoom))


def test_every_report_written_by_submission_is_counted(connection, session, categories):
    """Through the ORM as services write (insert, then the routing's update)."""
    report = put_report(session, categories[0], 24.95, 60.18)
    report.status = ReportStatus.IN_PROGRESS
    session.flush()
    assert session.scalar(select(func.sum(MapCell.report_count)).where(
        MapCell.grid_zoom == 0, MapCell.category_id == 0, MapCell.year == 0)) == 1
    assert session.get(Report, report.id) is not None
    assert_map_cells_match_the_reports(connection)

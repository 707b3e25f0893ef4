"""A heatmap file of more cells than a progress step, made by the real make_file with real
commits (the job's): the progress commits between the cells do not break the reading.

1,200 reports in January 2026, one per point of a 40 x 30 lattice 0.01 degrees apart
(about 550 m east-west and 1,100 m north-south at 60 N): the extent is about 22 km, so
the cells are 50 m (cell_size_m) and each report is a cell of its own.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.tokens import hash_token, new_nonce
from feedbackgis.geo.convert import point, to_db
from feedbackgis.models import FileKind, FileState, PreparedFile, Report
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.analytics.prepared_files import make_file, request_file
from feedbackgis.services.staff.users import create_user
from tests.integration.factories import make_category

HELSINKI = ZoneInfo("Europe/Helsinki")
COLUMNS, ROWS = 40, 30


def _report(category, lon: float, lat: float, at: datetime) -> Report:
    """As factories.make_report makes it, without a flush of its own (1,200 of them)."""
    report = Report(category_id=category.id, location=to_db(point(lon, lat)),
                    description="Katuvalo ei pala", language="fi",
                    status=ReportStatus.TRIAGE, is_public=True, follow_up_nonce=new_nonce(),
                    created_at=at)
    report.follow_up_token_hash = hash_token(new_nonce())
    return report


def test_a_heatmap_file_of_more_cells_than_a_progress_step_is_made_by_the_job(
        app, committed, tmp_path):
    category = make_category(committed, "heat-lattice")
    at = datetime(2026, 1, 15, 12, tzinfo=HELSINKI)
    committed.add_all(_report(category, 24.7 + column * 0.01, 60.1 + row * 0.01, at)
                      for column in range(COLUMNS) for row in range(ROWS))
    manager = create_user(committed, "heat@example.fi", Role.MANAGER, "correct horse battery")
    committed.commit()
    prepared = request_file(committed, manager, FileKind.HEATMAP,
                            FigureFilters(datetime(2026, 1, 1).date(),
                                          datetime(2026, 1, 1).date()),
                            language="en", time_zone="Europe/Helsinki")

    with app.app_context():
        assert make_file(committed, prepared.id, tmp_path, timedelta(hours=1)) is (
            FileState.DONE), committed.get(PreparedFile, prepared.id).error
    committed.expire_all()
    done = committed.get(PreparedFile, prepared.id)
    assert (done.rows_done, done.rows_total) == (1200, 1200)
    html = (tmp_path / done.path).read_text(encoding="utf-8")
    found = re.search(r"L\.heatLayer\(\s*(\[.*?\]),\s*\{", html, re.DOTALL)
    assert found
    points = json.loads(found.group(1))
    assert len(points) == 1200 and {point[2] for point in points} == {1}

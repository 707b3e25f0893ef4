"""The demo's reports: half a year of them with real histories, so that `make run` shows
a dashboard with figures; seeded once, their zones kept when the demo is seeded again."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.models import OutboxMessage, Report, ReportEvent
from feedbackgis.models.figures import FigureMonth
from feedbackgis.services.analytics.dashboard import FigureFilters, dashboard_figures
from feedbackgis.services.demo.demo_municipality import seed_demo
from feedbackgis.services.demo.demo_reports import REPORTS

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _count(session, *where):
    return session.scalar(select(func.count()).select_from(Report).where(*where))


def test_the_demo_seeds_its_reports_once_and_keeps_their_zones_when_seeded_again(session):
    first = seed_demo(session, now=NOW)
    assert first.reports_added == REPORTS == _count(session)
    with_zone = _count(session, Report.assigned_zone_id.is_not(None))
    assert with_zone == REPORTS  # the demo zones cover the whole area
    second = seed_demo(session, now=NOW)
    assert second.reports_added == 0 and _count(session) == REPORTS
    session.expire_all()
    assert _count(session, Report.assigned_zone_id.is_not(None)) == with_zone
    # Nothing is sent for them: no emails to the demo's parties or residents.
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_demo_reports_histories_are_in_time_order_after_their_arrival(session):
    seed_demo(session, now=NOW)
    reports = session.scalars(select(Report)).all()
    for report in reports:
        times = [event.created_at for event in report.events]
        assert times == sorted(times) and times[0] == report.created_at
        assert report.created_at < NOW and times[-1] < NOW
        if report.first_response_at is not None:
            assert report.created_at < report.first_response_at < NOW
        if report.fixed_at is not None:
            assert report.status in ("fixed", "closed")
    devices = {report.submitted_from for report in reports}
    assert devices == {"phone", "computer", "system"}


def test_the_dashboard_of_the_demo_shows_real_figures(session):
    seed_demo(session, now=NOW)
    filters = FigureFilters(first_month=date(2026, 5, 1), last_month=date(2026, 11, 1))
    board = dashboard_figures(session, filters, StatisticsScope(party_id=None), "fi")
    total = board.total
    assert total.reports == REPORTS and board.refreshed_at is not None
    assert sum(1 for month in board.by_month if month.reports) >= 6
    assert total.response.reports > REPORTS / 2 and total.response.median is not None
    assert total.fixed.reports > REPORTS / 3 and total.fixed.p90 >= total.fixed.median > 0
    assert total.reopened >= 1 and total.duplicates >= 1
    assert 0 < total.on_time_share < 1
    assert 0.4 < total.phone_share < 0.9 and 0 < total.offline_share < 0.3
    assert 0.3 < total.contact_share < 0.8
    assert min(total.in_finnish, total.in_swedish, total.in_english) > 0
    assert {"fixed", "closed", "in_progress"} <= set(board.by_status)
    assert len(board.by_party) >= 3 and len(board.by_category) >= 5


def test_a_reopened_demo_report_was_fixed_again_or_is_being_worked(session):
    seed_demo(session, now=NOW)
    reopened = session.scalars(select(Report).where(Report.reopen_count > 0)).all()
    assert reopened
    for report in reopened:
        kinds = [event.kind for event in report.events]
        assert "reopened" in kinds
        assert (report.fixed_at is not None) == (report.status in ("fixed", "closed"))
    assert session.scalar(select(func.count()).select_from(ReportEvent)
                          .where(ReportEvent.kind == "merged")) >= 1


def test_the_demo_seed_command_says_how_many_reports_it_added(app, connection, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert f"{REPORTS} reports added" in first.output
    again = runner.invoke(args=["demo", "seed"])
    assert "0 reports added" in again.output
    assert _count(session) == REPORTS
    # The figures were counted at the end: the rollups hold every demo report.
    assert session.scalar(select(func.sum(FigureMonth.reports))) == REPORTS

"""Keeping the figures up to date: the periodic job functions and `feedbackgis figures
refresh [--all]`, each saying which months it counted again."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from feedbackgis.jobs.maintenance import refresh_all_figures_job, refresh_changed_figures_job
from feedbackgis.jobs.schedule import PERIODIC
from feedbackgis.models.figures import FigureMonth, FigureRefresh
from tests.integration.factories import make_category, make_party, make_report

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def two_months(session):
    """A report in January and one in February 2026, changed long ago."""
    category, party = make_category(session), make_party(session)
    reports = []
    for month in (1, 2):
        report = make_report(session, category, party=party)
        report.created_at = datetime(2026, month, 10, 12, tzinfo=HELSINKI)
        reports.append(report)
    session.commit()
    return reports


def _age_every_report(session):
    session.execute(text("UPDATE report SET updated_at = '2020-01-01T00:00:00Z'"))
    session.commit()


def _touch(session, report):
    session.execute(text("UPDATE report SET updated_at = clock_timestamp() WHERE id = :id"),
                    {"id": report.id})
    session.commit()


def _counted(session):
    rows = session.execute(select(FigureMonth.month, func.sum(FigureMonth.reports))
                           .group_by(FigureMonth.month).order_by(FigureMonth.month))
    return {month: int(reports) for month, reports in rows}


def test_the_jobs_refresh_everything_first_then_only_the_changed_month(app, session, two_months):
    january, february = two_months
    with app.app_context():
        assert refresh_changed_figures_job() == {"full": True, "months": []}
        assert _counted(session) == {date(2026, 1, 1): 1, date(2026, 2, 1): 1}
        _age_every_report(session)
        assert refresh_changed_figures_job() == {"full": False, "months": []}
        _touch(session, february)
        assert refresh_changed_figures_job() == {"full": False, "months": ["2026-02"]}


def test_the_nightly_job_counts_every_month_again(app, session, two_months):
    with app.app_context():
        assert refresh_all_figures_job() == {"full": True, "months": []}
    assert _counted(session) == {date(2026, 1, 1): 1, date(2026, 2, 1): 1}
    state = session.get(FigureRefresh, 1)
    assert state.full_refresh_at is not None and state.full_refresh_at == state.refreshed_at


def test_the_figures_jobs_are_scheduled_every_five_minutes_and_nightly():
    crons = {periodic.function: periodic.cron for periodic in PERIODIC}
    assert crons[refresh_changed_figures_job] == "*/5 * * * *"
    assert crons[refresh_all_figures_job] == "10 3 * * *"


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_the_refresh_command_says_which_months_it_counted_again(cli, session, two_months):
    january, february = two_months
    first = cli("figures", "refresh")
    assert first.exit_code == 0, first.output
    assert first.output == "Every month counted again.\n"
    _age_every_report(session)
    assert cli("figures", "refresh").output == (
        "No changed reports: nothing to count again.\n")
    _touch(session, january)
    _touch(session, february)
    changed = cli("figures", "refresh")
    assert (changed.exit_code, changed.output) == (0, "Counted again: 2026-01, 2026-02.\n")
    assert _counted(session) == {date(2026, 1, 1): 1, date(2026, 2, 1): 1}


def test_the_refresh_command_with_all_counts_every_month(cli, session, two_months):
    session.execute(text("DELETE FROM figure_month"))
    session.commit()
    result = cli("figures", "refresh", "--all")
    assert (result.exit_code, result.output) == (0, "Every month counted again.\n")
    assert _counted(session) == {date(2026, 1, 1): 1, date(2026, 2, 1): 1}
    assert "--all" in cli("figures", "refresh", "--help").output

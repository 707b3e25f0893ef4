"""The figures' refresh jobs run through RQ's scheduler and a real worker (JSON results)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rq.job import JobStatus
from sqlalchemy import func, select

from feedbackgis.jobs.schedule import build_scheduler
from feedbackgis.jobs.worker import build_worker
from feedbackgis.models.figures import FigureMonth
from tests.integration.factories import make_category, make_report


def test_a_worker_runs_the_scheduled_figures_refreshes(app, committed, redis_server):
    report = make_report(committed, make_category(committed))
    report.created_at = datetime(2026, 3, 4, 9, tzinfo=ZoneInfo("Europe/Helsinki"))
    committed.commit()
    jobs = {job.func.__name__: job for job in build_scheduler(redis_server.client()).get_jobs()}
    enqueued = [jobs[name].enqueue(redis_server.client())
                for name in ("refresh_all_figures_job", "refresh_changed_figures_job")]
    with app.app_context():
        build_worker(redis_server.client(), app.config).work(burst=True, logging_level="WARNING")
    for job in enqueued:
        job.refresh()
        assert job.get_status() == JobStatus.FINISHED
    full, changed = (job.return_value() for job in enqueued)
    assert full == {"full": True, "months": []}
    # The report was written just before: within the look-back, so its month again.
    assert changed == {"full": False, "months": ["2026-03"]}
    assert committed.scalar(select(func.sum(FigureMonth.reports))) == 1

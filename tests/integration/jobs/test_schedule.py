"""The periodic jobs go through RQ's cron scheduler to workers that read JSON."""
from __future__ import annotations

from rq.job import JobStatus

from feedbackgis.jobs.schedule import PERIODIC, build_scheduler
from feedbackgis.jobs.worker import build_worker


def test_every_periodic_job_is_registered_with_a_cron_schedule(redis_server):
    scheduler = build_scheduler(redis_server.client())
    jobs = scheduler.get_jobs()
    assert [job.func for job in jobs] == [periodic.function for periodic in PERIODIC]
    assert all(job.cron and job.next_enqueue_time for job in jobs)


def test_a_scheduled_job_is_enqueued_as_json_and_run_by_a_worker(app, committed, redis_server):
    scheduler = build_scheduler(redis_server.client())
    overdue_check = next(job for job in scheduler.get_jobs()
                         if job.func.__name__ == "check_overdue_reports")
    job = overdue_check.enqueue(redis_server.client())
    with app.app_context():
        build_worker(redis_server.client(), app.config).work(burst=True, logging_level="WARNING")
    job.refresh()
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value() == 0

"""Failed jobs on the admin page: the same list as `feedbackgis jobs failed`, with the
reason, and a retry that puts the job back on its queue and is in the history. A real
worker fails a real job in the test's Redis (db of TEST_REDIS_URL)."""
from __future__ import annotations

import pytest
from rq.registry import FailedJobRegistry

from feedbackgis.jobs.queues import MAINTENANCE, get_queue
from feedbackgis.jobs.worker import build_worker
from tests.integration.admin.conftest import all_changes, changes_of

BROKEN = "feedbackgis.jobs.no_such_module.do_it"


@pytest.fixture
def failed_job(app, redis_client):
    """A job that failed for good: its function cannot be imported, and it has no retries."""
    queue = get_queue(MAINTENANCE, redis_client)
    job = queue.enqueue(BROKEN, kwargs={"report_id": 7}, job_id="test-broken-1")
    with app.app_context():
        build_worker(redis_client, app.config).work(burst=True, logging_level="WARNING")
    assert job.id in FailedJobRegistry(queue=queue).get_job_ids()
    return job


def test_the_failed_jobs_are_listed_with_their_reason(admin_client, failed_job, world):
    page = admin_client.get("/admin/jobs").get_data(as_text=True)
    assert "test-broken-1" in page and "do_it" in page and "report_id=7" in page
    assert "Invalid attribute name: do_it" in page
    cli_output = admin_client.application.test_cli_runner().invoke(args=["jobs", "failed"]).output
    assert "test-broken-1" in cli_output


def test_a_retry_puts_the_job_back_on_its_queue_and_is_recorded(
        post, session, redis_client, failed_job, world):
    response = post("/admin/jobs/retry", {"job": "test-broken-1"})
    assert response.status_code == 303
    queue = get_queue(MAINTENANCE, redis_client)
    assert "test-broken-1" in queue.get_job_ids()
    assert "test-broken-1" not in FailedJobRegistry(queue=queue).get_job_ids()
    [change] = changes_of(session, "job", "test-broken-1")
    assert (change.action, change.actor, change.after) == (
        "retry", "admin@city.example.fi", {"state": "queued"})
    assert change.before["function"] == BROKEN


def test_retrying_a_job_that_is_not_failed_says_so_and_records_nothing(
        post, session, redis_client, world):
    response = post("/admin/jobs/retry", {"job": "no-such-job"})
    assert response.status_code == 404
    assert "no longer in the failed list" in response.get_data(as_text=True)
    assert all_changes(session) == []


def test_no_failed_jobs_says_so(admin_client, redis_client, world):
    assert "No failed jobs." in admin_client.get("/admin/jobs").get_data(as_text=True)


def test_the_page_says_when_redis_cannot_be_reached(admin_client, app, world, monkeypatch):
    from redis import Redis

    monkeypatch.setitem(app.extensions, "feedbackgis.redis",
                        Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2))
    response = admin_client.get("/admin/jobs")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_data(as_text=True)

"""`feedbackgis jobs ...`: background workers on RQ."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from rq import Worker
from rq.serializers import JSONSerializer

from feedbackgis.extensions import redis_conn
from feedbackgis.jobs.queues import ALL_QUEUES


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs: run a worker."""


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run an RQ worker on every feedbackgis queue, most urgent first."""
    w = Worker(list(ALL_QUEUES), connection=redis_conn.client, serializer=JSONSerializer)
    w.work(burst=burst)

"""A requested export goes from its outbox row to the maintenance queue and is made by a
real RQ worker (a forked work horse); running the job again does nothing."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedbackgis.extensions import db
from feedbackgis.jobs.prepared_files import prepare_file
from feedbackgis.jobs.queues import MAINTENANCE
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.models import FileKind, FileState, OutboxJob, PreparedFile
from feedbackgis.services.analytics.prepared_files import request_file
from tests.integration.export_world import YEAR_2026, build_export_world


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    """The worker's forked work horses read the app's settings: this folder, too."""
    monkeypatch.setitem(app.config, "EXPORT_FOLDER", str(tmp_path / "exports"))
    return tmp_path / "exports"


def _file(session, file_id) -> PreparedFile:
    session.expire_all()
    return session.get(PreparedFile, file_id)


def test_a_real_worker_prepares_the_requested_export_once(app, committed, redis_server,
                                                          drain, folder):
    world = build_export_world(committed)
    prepared = request_file(committed, world.admin, FileKind.CSV, YEAR_2026, language="en",
                            time_zone="Europe/Helsinki")
    assert relay_batch(db.session_factory(), redis_server.client(), app.config) == 1
    job = committed.scalars(select(OutboxJob)).one()
    assert (job.queue, job.function, job.kwargs) == (
        MAINTENANCE, "feedbackgis.jobs.prepared_files.prepare_file", {"file_id": prepared.id})

    drain(lambda: _file(committed, prepared.id).state is FileState.DONE)
    done = _file(committed, prepared.id)
    rows = list(csv.reader(io.StringIO((folder / done.path).read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows] == ["Report number", str(world.first.id),
                                        str(world.second.id)]
    assert (done.rows_done, done.rows_total, done.expires_at - done.finished_at) == (
        2, 2, timedelta(hours=24))

    with app.app_context():
        assert prepare_file(prepared.id) == "done"  # a duplicate or a retry: nothing to do
        assert prepare_file(prepared.id + 1000) is None  # expired and deleted meanwhile
    assert _file(committed, prepared.id).finished_at == done.finished_at

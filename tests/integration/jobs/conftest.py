"""Fixtures for background-job tests: committed data, a Redis of the test's own, an SMTP
sink, and workers that run for real (forked work horses, retries, the scheduler).

Workers run jobs in other processes with their own connections, so these tests commit
their data; every table is emptied afterwards, as the other integration tests expect.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from feedbackgis.jobs.worker import build_worker
from tests.local_servers import RedisServer


@pytest.fixture
def redis_server(tmp_path, app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisServer]:
    """A redis-server of this test's own; the app (and its workers) use it."""
    server = RedisServer(tmp_path).start()
    monkeypatch.setitem(app.extensions, "feedbackgis.redis", server.client())
    monkeypatch.setitem(app.config, "REDIS_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def drain(app: Flask, redis_server: RedisServer) -> Callable[..., None]:
    """Run burst workers (with the scheduler, so retries come back) until `done()` is true."""

    def run(done: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with app.app_context():
            while not done():
                if time.monotonic() > deadline:
                    raise AssertionError("the jobs did not finish in time")
                build_worker(redis_server.client(), app.config).work(
                    burst=True, with_scheduler=True, logging_level="WARNING")
                time.sleep(0.2)

    return run

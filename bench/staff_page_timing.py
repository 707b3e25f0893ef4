"""Timing a staff page's service beside its own SQL and the whole page, for the staff
benchmarks (the inbox, the contractor's work orders): one recipe, so their numbers compare."""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bench.database import time_replay
from bench.public_map_timing import StatementRecorder
from feedbackgis.extensions import db
from feedbackgis.models import StaffUser
from feedbackgis.web.staff.session import SESSION_KEY, password_fingerprint

WARM_UP = 3


@dataclass
class Timed:
    service_ns: list[int]
    sql_ns: list[int]  # the service's statements replayed alone
    page_ns: list[int]  # GET of the whole page, signed in
    total: int  # what the service found, for the table


def measure(app, recorder: StatementRecorder, cursor, service: Callable[[], Any],  # noqa: ANN001
            page: tuple[int, str, Mapping[str, Any]], samples: int) -> Timed:
    """`service()` timed `samples` times, interleaved with its recorded SQL replayed (so
    both see the same caches), then the page (user id, path, query) as a browser gets it."""
    for _ in range(WARM_UP):
        service()
    with recorder.recording_one_request() as statements:
        total = service().total
    service_ns, sql_ns = [], []
    for k in range(samples):
        if k % 2:
            sql_ns.append(time_replay(cursor, statements))
        started = time.perf_counter_ns()
        service()
        service_ns.append(time.perf_counter_ns() - started)
        if not k % 2:
            sql_ns.append(time_replay(cursor, statements))
    return Timed(service_ns, sql_ns, page_times(app, *page, samples), total)


def page_times(app, user_id: int, path: str, query: Mapping[str, Any],  # noqa: ANN001
               samples: int) -> list[int]:
    """GET path?query as the signed-in user, `samples` times after a warm-up."""
    client = app.test_client()
    user = db.session.get(StaffUser, user_id)
    now = int(time.time())
    with client.session_transaction() as held:
        held[SESSION_KEY] = {"id": user.id, "since": now, "seen": now,
                             "key": password_fingerprint(user)}
    db.session.remove()
    timings = []
    for k in range(WARM_UP + samples):
        started = time.perf_counter_ns()
        response = client.get(path, query_string=query)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code} for {query}: {response.data[:300]!r}")
        if k >= WARM_UP:
            timings.append(time.perf_counter_ns() - started)
    return timings

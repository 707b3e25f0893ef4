"""Timing the public map three ways for the same viewport and filters.

- the endpoint: GET /api/v1/map/reports through Flask's test client (routing, the query
  schema, the service, SQLAlchemy, marshmallow, JSON: all but the network and gunicorn);
- its SQL alone: the statements that request sent, captured from SQLAlchemy and replayed
  as they were on a psycopg connection of their own;
- without the precomputed cells: one GROUP BY over the reports in the same cells, on the
  GiST index, as the answer would be computed without map_cell.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, event, text

from bench.database import time_replay
from bench.public_map_data import GENERATE_REPORTS, Viewport
from feedbackgis.domain.map_grid import BoundingBox, viewport_grid
from feedbackgis.domain.public_map import ReportState
from feedbackgis.domain.statuses import FIXED_STATUSES

WARM_UP = 3
WITHOUT_CELLS_SAMPLES = 5  # a whole city's GROUP BY takes most of a second at 1,000,000
MAP_PATH = "/api/v1/map/reports"

# The cells of a viewport counted from the reports themselves (no map_cell).
WITHOUT_CELLS = """
SELECT map_cell_x(ST_X(location), %(grid_zoom)s) AS x, map_cell_y(ST_Y(location), %(grid_zoom)s)
       AS y, count(*), avg(ST_X(location)), avg(ST_Y(location))
FROM report
WHERE is_public AND status NOT IN ('duplicate', 'not_ours', 'rejected', 'withdrawn')
  AND location IS NOT NULL
  AND location && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND (%(any_category)s OR category_id = ANY(%(categories)s))
  AND (status IN ('fixed', 'closed')) = ANY(%(fixed)s)
  AND created_at >= now() - make_interval(days => %(days)s)
GROUP BY 1, 2
"""


@dataclass
class Measured:
    endpoint_ns: list[int] = field(default_factory=list)
    sql_ns: list[int] = field(default_factory=list)
    without_cells_ns: list[int] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    clustered: int = 0
    truncated: int = 0
    grid_zooms: set[int] = field(default_factory=set)


class StatementRecorder:
    """The statements (and their parameters) the app sends while recording is on."""

    def __init__(self, engine: Engine) -> None:
        self.recording = False
        self.statements: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._note)

    def _note(self, conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG002
        if not self.recording:
            return
        # An executemany (the rows of one INSERT) is kept as one statement a row, for a
        # replay to send with execute as any other.
        # (SQLAlchemy's insertmanyvalues sends such rows as one statement: a mapping.)
        many = executemany and isinstance(parameters, list | tuple)
        rows = parameters if many else [parameters]
        self.statements.extend((statement, row) for row in rows)

    @contextmanager
    def recording_one_request(self) -> Iterator[list[tuple[str, object]]]:
        self.statements, self.recording = [], True
        try:
            yield self.statements
        finally:
            self.recording = False


@dataclass(frozen=True)
class Rig:
    client: FlaskClient
    recorder: StatementRecorder
    cursor: object  # a psycopg cursor of a connection of its own
    category_ids: dict[str, int]


def measure(rig: Rig, viewport: Viewport, params: dict[str, str],
            centres: list[tuple[float, float]]) -> Measured:
    """Each centre's viewport: the endpoint and its SQL alone, alternating which goes first;
    the cells counted without map_cell for the first few clustered answers."""
    measured = Measured()
    for lon, lat in centres[:WARM_UP]:
        rig.client.get(MAP_PATH, query_string=_query(viewport, lon, lat, params))
    for k, (lon, lat) in enumerate(centres):
        query = _query(viewport, lon, lat, params)
        with rig.recorder.recording_one_request() as statements:
            rig.client.get(MAP_PATH, query_string=query)
        if k % 2 == 0:
            answer = _time_endpoint(rig, query, measured)
            measured.sql_ns.append(time_replay(rig.cursor, statements))
        else:
            measured.sql_ns.append(time_replay(rig.cursor, statements))
            answer = _time_endpoint(rig, query, measured)
        if answer["clustered"] and len(measured.without_cells_ns) < WITHOUT_CELLS_SAMPLES:
            measured.without_cells_ns.append(
                _time_without_cells(rig, viewport.bbox(lon, lat), viewport.zoom, params))
    return measured


def _query(viewport: Viewport, lon: float, lat: float, params: dict[str, str]) -> dict:
    box = viewport.bbox(lon, lat)
    bbox = ",".join(f"{v:.6f}" for v in (box.west, box.south, box.east, box.north))
    return {"bbox": bbox, "zoom": str(viewport.zoom), **params}


def _time_endpoint(rig: Rig, query: dict, measured: Measured) -> dict:
    started = time.perf_counter_ns()
    response = rig.client.get(MAP_PATH, query_string=query)
    body = response.data
    measured.endpoint_ns.append(time.perf_counter_ns() - started)
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code} for {query}: {body[:300]!r}")
    answer = response.json
    measured.bytes.append(len(body))
    measured.clustered += answer["clustered"]
    measured.truncated += bool(answer.get("truncated"))
    if answer["clustered"]:
        measured.grid_zooms.add(answer["grid_zoom"])
    return answer



def _time_without_cells(rig: Rig, bbox: BoundingBox, zoom: int, params: dict[str, str]) -> int:
    window = viewport_grid(bbox, zoom)
    envelope = window.envelope()
    codes = [c for c in params.get("category", "").split(",") if c]
    state = ReportState(params.get("state", "all"))
    args = {"grid_zoom": window.grid_zoom, "west": envelope.west, "south": envelope.south,
            "east": envelope.east, "north": envelope.north, "any_category": not codes,
            "categories": [rig.category_ids[c] for c in codes],
            "fixed": list(state.fixed_values), "days": int(params.get("days", 365_000))}
    started = time.perf_counter_ns()
    rig.cursor.execute(WITHOUT_CELLS, args)
    rig.cursor.fetchall()
    return time.perf_counter_ns() - started


@dataclass
class WriteCosts:
    with_triggers_ns: dict[str, list[int]]
    without_triggers_ns: dict[str, list[int]]
    bulk_insert_s: float
    bulk_rows: int


MAP_TRIGGERS = ("map_cells_on_insert", "map_cells_on_update", "map_cells_on_delete")
ONE_REPORT = """
INSERT INTO report (category_id, location, description, status, is_public,
                    follow_up_nonce, follow_up_token_hash)
VALUES (%(category)s, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), 'One report',
        'received', true, md5(%(key)s), md5(%(key)s)) RETURNING id
"""


def write_costs(engine: Engine, category_id: int, samples: int, bulk_rows: int) -> WriteCosts:
    """What the triggers cost a write: one report inserted, fixed and deleted, each statement
    committed as a service would, with the triggers and without them (the report is gone at
    the end either way, so the counts stay right); then one INSERT of `bulk_rows` reports
    through the trigger, rolled back."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        with_triggers = _insert_fix_delete(conn, category_id, samples, "on")
        for trigger in MAP_TRIGGERS:
            conn.exec_driver_sql(f"ALTER TABLE report DISABLE TRIGGER {trigger}")
        try:
            without_triggers = _insert_fix_delete(conn, category_id, samples, "off")
        finally:
            for trigger in MAP_TRIGGERS:
                conn.exec_driver_sql(f"ALTER TABLE report ENABLE TRIGGER {trigger}")
    with engine.connect() as conn:
        transaction = conn.begin()
        started = time.perf_counter()
        conn.execute(text(GENERATE_REPORTS), {"n": bulk_rows, "batch": "bulk"})
        bulk_s = time.perf_counter() - started
        transaction.rollback()
    return WriteCosts(with_triggers, without_triggers, bulk_s, bulk_rows)


def _insert_fix_delete(conn: Connection, category_id: int, samples: int, tag: str
                       ) -> dict[str, list[int]]:
    timings: dict[str, list[int]] = {"insert": [], "fix": [], "delete": []}
    fixed = sorted(FIXED_STATUSES)[0].value

    def timed(kind: str, statement: str, params: dict) -> object:
        started = time.perf_counter_ns()
        result = conn.exec_driver_sql(statement, params)
        timings[kind].append(time.perf_counter_ns() - started)
        return result

    for k in range(samples):
        spot = {"category": category_id, "lon": 24.9 + k / 10_000, "lat": 60.17,
                "key": f"write-{tag}-{k}"}
        report_id = timed("insert", ONE_REPORT, spot).scalar_one()
        timed("fix", "UPDATE report SET status = %(status)s WHERE id = %(id)s",
              {"status": fixed, "id": report_id})
        timed("delete", "DELETE FROM report WHERE id = %(id)s", {"id": report_id})
    return timings

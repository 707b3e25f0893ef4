"""A fresh, migrated bench database beside the development one, never the development one.

The database is `feedbackgis_bench` on the server of DATABASE_URL, or BENCH_DATABASE_URL
when that is set. It is dropped and created again on every run (through the server's
`postgres` maintenance database) and left in place afterwards, for EXPLAIN by hand.
"""
from __future__ import annotations

import os
import time

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from config import load_config
from feedbackgis.cli.database import upgrade_database

BENCH_DATABASE = "feedbackgis_bench"
MAINTENANCE_DATABASE = "postgres"


class UnsafeBenchDatabase(RuntimeError):
    """The bench database would be the development database (or the maintenance one)."""


def bench_database_url() -> URL:
    # DATABASE_URL, or the local default.
    development = make_url(load_config("development")["DATABASE_URL"])
    explicit = os.environ.get("BENCH_DATABASE_URL")
    url = make_url(explicit) if explicit else development.set(database=BENCH_DATABASE)
    if url.database in (None, "", MAINTENANCE_DATABASE) or _same_database(url, development):
        raise UnsafeBenchDatabase(
            f"refusing to drop {url.render_as_string(hide_password=True)}: the bench "
            "recreates its database, so it must not be the development or maintenance one"
        )
    return url


def fresh_bench_database() -> Engine:
    """Drop and create the bench database, add PostGIS, migrate; an engine bound to it."""
    url = bench_database_url()
    maintenance = create_engine(url.set(database=MAINTENANCE_DATABASE),
                                isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as conn:
            name = conn.dialect.identifier_preparer.quote(url.database)
            # FORCE: a bench run that crashed may have left a connection behind.
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    finally:
        maintenance.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    upgrade_database(url.render_as_string(hide_password=False))
    return engine


def generate_reports(engine: Engine, statement: str, parameters: dict, *,
                     catalog: str, before: tuple[tuple[str, dict], ...] = ()) -> float:
    """Run a benchmark's bulk report generator after its `catalog` SQL (and `before`
    statements), without the map-cell trigger (the generators rebuild map_cell at once),
    then VACUUM ANALYZE; returns the seconds the reports themselves took."""
    with engine.begin() as conn:
        conn.exec_driver_sql(catalog)
        for sql, values in before:
            conn.execute(text(sql), values)
        conn.execute(text("ALTER TABLE report DISABLE TRIGGER map_cells_on_insert"))
        started = time.perf_counter()
        conn.execute(text(statement), parameters)
        took = time.perf_counter() - started
        conn.execute(text("ALTER TABLE report ENABLE TRIGGER map_cells_on_insert"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return took


def _same_database(a: URL, b: URL) -> bool:
    def key(u: URL) -> tuple[object, ...]:
        host = "127.0.0.1" if u.host in (None, "", "localhost") else u.host
        return host, u.port or 5432, u.database

    return key(a) == key(b)


def time_replay(cursor, statements: list[tuple[str, object]]) -> int:  # noqa: ANN001
    """Nanoseconds to run a request's SQL again, in one transaction as the request ran it
    (a SET LOCAL of its lasts for it): the raw-SQL baseline beside the service's time."""
    started = time.perf_counter_ns()
    with cursor.connection.transaction():
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
    return time.perf_counter_ns() - started

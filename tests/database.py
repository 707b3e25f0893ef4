"""The test database: emptied and migrated once per session, emptied again by e2e tests.

Shared by the integration tests (which roll back each test's transaction) and the e2e tests
(whose data must really be committed, because the served app reads it from another thread).
"""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from feedbackgis.cli.database import upgrade_database
from feedbackgis.models import Base


def reset_and_migrate(url: str) -> None:
    """Drop everything in schema public and migrate from scratch, as a deployment would."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    finally:
        engine.dispose()
    upgrade_database(url)


# Reference data the migrations fill, which the app needs as a deployment has it.
MIGRATION_DATA = frozenset({"calendar_day"})


def truncate_app_tables(engine: Engine) -> None:
    """Empty every table of the app's models, leaving the schema, alembic_version and the
    reference data of the migrations (MIGRATION_DATA) alone.

    Integration tests expect an empty database, so e2e tests call this after each test.
    """
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables
                       if table.name not in MIGRATION_DATA)
    with engine.begin() as conn:
        # A request still holding a lock should fail the test, not hang the run.
        conn.execute(text("SET LOCAL lock_timeout = '10s'"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))

"""Migration 0008 on a database of its own: the old statuses carried over (resolved is now
fixed, a withdrawn report gets its status), and a downgrade folds the new ones back."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from feedbackgis.cli.database import alembic_config, upgrade_database


@pytest.fixture
def scratch_url(migrated_database_url):
    """A database beside the test database, dropped afterwards."""
    url = make_url(migrated_database_url)
    scratch = url.set(database=f"{url.database}_0008")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    yield scratch.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
    admin.dispose()


def _statuses(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT description, status::text FROM report")).all())


def _insert(conn, description: str, status: str, withdrawn: bool = False) -> None:
    report_id = conn.execute(text("""
        INSERT INTO report (category_id, description, status, is_public, location,
                            follow_up_nonce, follow_up_token_hash)
        VALUES ((SELECT id FROM category), CAST(:d AS text), CAST(:s AS report_status), true,
                ST_SetSRID(ST_MakePoint(24.94, 60.17), 4326), CAST(:d AS text), md5(CAST(:d AS text)))
        RETURNING id"""), {"d": description, "s": status}).scalar_one()
    if withdrawn:
        conn.execute(text("""
            INSERT INTO report_event (report_id, kind, actor, to_status, data)
            VALUES (:id, 'status_changed', 'reporter', 'closed', '{"withdrawn": true}')"""),
                     {"id": report_id})


def test_the_statuses_survive_the_upgrade_and_the_downgrade(scratch_url):
    with create_engine(scratch_url).begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    upgrade_database(scratch_url, "0007")
    engine = create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO category (code, name_fi, name_sv, name_en) "
                          "VALUES ('c', 'c', 'c', 'c')"))
        _insert(conn, "fixed one", "resolved")
        _insert(conn, "closed one", "closed")
        _insert(conn, "withdrawn one", "closed", withdrawn=True)
    upgrade_database(scratch_url)
    assert _statuses(engine) == {"fixed one": "fixed", "closed one": "closed",
                                 "withdrawn one": "withdrawn"}
    with engine.connect() as conn:
        # The map counts follow: the withdrawn report left it, the two fixed ones stay.
        assert conn.execute(text("SELECT report_count FROM map_cell WHERE grid_zoom = 0 "
                                 "AND category_id = 0 AND year = 0 AND fixed")).scalar() == 2
    with engine.begin() as conn:
        _insert(conn, "waiting one", "waiting")
        conn.execute(text("""
            INSERT INTO report_event (report_id, kind, actor, to_status)
            SELECT id, 'merged', 'staff', 'duplicate' FROM report WHERE description = 'closed one'
            """))
        conn.execute(text("UPDATE report SET public_description = 'edited' "
                          "WHERE description = 'fixed one'"))
    command.downgrade(alembic_config(scratch_url), "0007")
    assert _statuses(engine) == {"fixed one": "resolved", "closed one": "closed",
                                 "withdrawn one": "closed", "waiting one": "in_progress"}
    with engine.connect() as conn:
        events = conn.execute(text(
            "SELECT kind::text, to_status::text FROM report_event ORDER BY id")).all()
        assert events == [("status_changed", "closed"), ("status_changed", "rejected")]
        assert conn.execute(text(  # the edited one leaves the map rather than show the original
            "SELECT is_public FROM report WHERE description = 'fixed one'")).scalar() is False
    upgrade_database(scratch_url)
    assert _statuses(engine)["fixed one"] == "fixed"
    engine.dispose()



"""Integration fixtures: a real PostGIS migrated by Alembic, and a real Redis.

The database is emptied and migrated once per session; each test runs inside a transaction
that is rolled back afterwards (services' commits release savepoints only), so tests stay
independent without rebuilding the schema.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from config import config_for_tests
from feedbackgis import create_app
from feedbackgis.extensions import db
from tests.database import truncate_app_tables


@pytest.fixture(scope="session")
def app() -> Flask:
    return create_app(config_for_tests())


@pytest.fixture(scope="session")
def engine(app: Flask, migrated_database_url: str) -> Iterator[Engine]:
    engine = create_engine(migrated_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine, app: Flask) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        # The app's request-scoped session joins this transaction too.
        db.session.remove()
        db.session_factory.configure(bind=conn, join_transaction_mode="create_savepoint")
        try:
            yield conn
        finally:
            db.session.remove()
            db.session_factory.configure(bind=db.engine, join_transaction_mode="conditional_savepoint")
            if outer.is_active:
                outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    s = db.session()
    yield s
    s.close()


@pytest.fixture
def client(app: Flask, connection: Connection) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def redis_client(app: Flask) -> Iterator[Redis]:
    client = Redis.from_url(app.config["REDIS_URL"])
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def smtp(app: Flask, mail_sink, monkeypatch: pytest.MonkeyPatch):
    """The app sends mail to the test's SMTP sink; returns the settings it uses."""
    from feedbackgis.mail.smtp import SmtpSettings

    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", mail_sink.port)
    monkeypatch.setitem(app.config, "SMTP_SECURITY", "none")
    return SmtpSettings.from_config(app.config)


@pytest.fixture
def links(app: Flask):
    """The links notification emails carry, from the test app's configuration."""
    from feedbackgis.mail.links import Links

    return Links.from_config(app.config)


@pytest.fixture(scope="session")
def committed_engine(migrated_database_url: str) -> Iterator[Engine]:
    engine = create_engine(migrated_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def committed(app: Flask, committed_engine: Engine, engine: Engine) -> Iterator[Session]:
    """A session whose commits are real; every table is emptied after the test."""
    db.session.remove()
    db.session_factory.configure(bind=db.engine)
    with Session(committed_engine, expire_on_commit=False) as session:
        yield session
    db.session.remove()
    truncate_app_tables(committed_engine)

"""Extension objects, created unbound and bound to the app in create_app (init_app)."""
from __future__ import annotations

from flask import Flask, current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from redis import Redis
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, scoped_session, sessionmaker


class Database:
    """One engine per app and a request-scoped session that is removed after each request."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session_factory = sessionmaker(expire_on_commit=False)
        self.session: scoped_session[Session] = scoped_session(self.session_factory)

    def init_app(self, app: Flask) -> None:
        self.engine = create_engine(
            app.config["DATABASE_URL"], pool_pre_ping=True, future=True
        )
        self.session_factory.configure(bind=self.engine)
        app.teardown_appcontext(self._remove_session)
        app.extensions["feedbackgis.db"] = self

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.session.remove()

    def end_read_transaction(self) -> None:
        """End a request's read-only transaction with COMMIT rather than the ROLLBACK that
        removing the session sends: psycopg forgets every prepared statement of the
        connection on a ROLLBACK, so a read that ended that way was planned afresh on every
        request (a GeoReport v2 document is a large statement: planning it took longer than
        running it). Only for requests that write nothing (the caller's promise)."""
        session = self.session()  # the request's own (the scoped proxy has no in_transaction)
        if not session.in_transaction():
            return
        try:
            session.commit()
        except SQLAlchemyError:
            # A connection that died under the read (its error has been answered): its
            # transaction is only rolled back; it wrote nothing to lose.
            session.rollback()


class RedisConnection:
    """The app's Redis client; creating it never touches the network (it connects lazily)."""

    key = "feedbackgis.redis"

    def init_app(self, app: Flask) -> None:
        app.extensions[self.key] = Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5
        )

    @property
    def client(self) -> Redis:
        return current_app.extensions[self.key]


db = Database()
redis_conn = RedisConnection()
# Page texts, dates and numbers; its selectors are given in create_app.
babel = Babel()
# CSRF tokens on every form of the pages (the JSON API takes no cookies, so it is exempt).
csrf = CSRFProtect()
# Per-client rate limits (feedbackgis/rate_limits.py); storage settings in create_app.
limiter = Limiter(key_func=get_remote_address)

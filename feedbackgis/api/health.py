"""Liveness and readiness probes for load balancers and orchestrators."""
from __future__ import annotations

from flask import Blueprint
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from feedbackgis.extensions import db, redis_conn

health_blueprint = Blueprint("health", __name__)


@health_blueprint.get("/healthz")
def alive():  # noqa: ANN201
    return {"status": "ok"}


def _check_database() -> str | None:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return type(exc).__name__
    return None


def _check_redis() -> str | None:
    try:
        redis_conn.client.ping()
    except RedisError as exc:
        return type(exc).__name__
    return None


@health_blueprint.get("/readyz")
def ready():  # noqa: ANN201
    problems = {"database": _check_database(), "redis": _check_redis()}
    checks = {name: ("ok" if problem is None else f"unavailable ({problem})")
              for name, problem in problems.items()}
    ready_now = all(problem is None for problem in problems.values())
    return {"status": "ok" if ready_now else "unavailable", "checks": checks}, (
        200 if ready_now else 503
    )

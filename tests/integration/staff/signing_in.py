"""Helpers of the staff sign-in tests: a user, the form's CSRF token, signing in."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from config import config_for_tests
from feedbackgis import create_app
from feedbackgis.domain.permissions import Role
from feedbackgis.extensions import limiter
from feedbackgis.models import StaffUser
from feedbackgis.services.staff.users import create_user
from tests.local_servers import RedisServer

PASSWORD = "correct horse battery"  # noqa: S105 - the tests' own
EMAIL = "kaisa@example.fi"


def english_client(app: Flask) -> FlaskClient:
    """A browser that chose English (the language cookie the switcher sets)."""
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client


def make_staff_user(session: Session, email: str = EMAIL, *, role: Role = Role.MODERATOR,
                    password: str = PASSWORD) -> StaffUser:
    return create_user(session, email, role, password, name="Kaisa Virtanen")


def csrf_token(client: FlaskClient, path: str = "/staff/login") -> str:
    """The CSRF token of the form on `path` (the session's token, for any form)."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def post_login(client: FlaskClient, email: str = EMAIL, password: str = PASSWORD, *,
               next_page: str | None = None, **kwargs):
    data = {"csrf_token": csrf_token(client), "email": email, "password": password}
    if next_page is not None:
        data["next"] = next_page
    return client.post("/staff/login", data=data, **kwargs)


def sign_in(client: FlaskClient, email: str = EMAIL, password: str = PASSWORD) -> None:
    response = post_login(client, email, password)
    assert response.status_code == 303, response.get_data(as_text=True)


def is_signed_in(client: FlaskClient) -> bool:
    """Whether the inbox opens (else it sends to the login page)."""
    response = client.get("/staff/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@contextmanager
def rate_limited_app(directory: Path, **limits: str) -> Iterator[Flask]:
    """An app whose rate limits are on, counted in a Redis of the test's own. Its data must
    be committed (it has its own connections): use the `committed` fixture."""
    redis = RedisServer(directory).start()
    try:
        yield create_app({**config_for_tests(), "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": redis.url, **limits})
    finally:
        redis.stop()
        # The limiter is one object for every app of the process: this app's init_app
        # turned it on for the suite's own app too (see test_rate_limits.py).
        limiter.enabled = False

"""The admin page tests: pages read in English (the msgids), the staff world's people (one
of each role), and helpers to post a form as a signed-in admin."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.models import AdminChange
from tests.integration.staff.signing_in import english_client
from tests.integration.staff.staff_world import build_world, csrf, sign_in_as


@pytest.fixture
def client(app, connection):
    """A browser that chose English: the assertions read the msgids, not a translation."""
    return english_client(app)


@pytest.fixture
def world(session):
    return build_world(session)


@pytest.fixture
def admin_client(client, world):
    """The client signed in as the world's admin."""
    sign_in_as(client, world.users["admin"])
    return client


@pytest.fixture
def post(admin_client):
    """Post a form as the admin, with the session's CSRF token."""
    def send(path: str, data: dict | None = None, **kwargs):
        token = csrf(admin_client, "/admin/")
        return admin_client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)

    return send


def changes_of(session, entity: str, entity_id: object | None = None) -> list[AdminChange]:
    """The audit rows of `entity` (one of them with `entity_id`), oldest first."""
    session.expire_all()
    query = select(AdminChange).where(AdminChange.entity == entity).order_by(AdminChange.id)
    if entity_id is not None:
        query = query.where(AdminChange.entity_id == str(entity_id))
    return list(session.scalars(query))


def all_changes(session) -> list[AdminChange]:
    session.expire_all()
    return list(session.scalars(select(AdminChange).order_by(AdminChange.id)))

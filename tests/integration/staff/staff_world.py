"""A small municipality for the staff page tests: two units, one person of each role, and
a report of each unit (with a contact, a follower, answers)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.models import Category, Party, PartyKind, Report, StaffUser
from feedbackgis.web.staff.session import SESSION_KEY, password_fingerprint
from tests.integration.factories import make_category, make_party, make_report

PASSWORD = "correct horse battery"  # noqa: S105 - the tests' own
ROLES = (Role.ADMIN, Role.MANAGER, Role.HANDLER, Role.MODERATOR, Role.CONTRACTOR)


@dataclass
class StaffWorld:
    unit_a: Party
    unit_b: Party
    contractor: Party
    category: Category
    report_a: Report  # of unit A, with the reporter's contact
    report_b: Report  # of unit B
    users: dict[str, StaffUser]  # "handler_a", "handler_b", "manager", ...


def build_world(session: Session) -> StaffWorld:
    unit_a = make_party(session, "Katuyksikkö A")
    unit_b = make_party(session, "Puistoyksikkö B")
    contractor = make_party(session, "Urakoitsija Oy", kind=PartyKind.CONTRACTOR)
    category = make_category(session, "streetlight")
    report_a = make_report(session, category, party=unit_a, description="Lamppu A ei pala",
                           contact={"name": "Aino Asukas", "email": "aino@example.fi",
                                    "phone": "040 123 4567"})
    report_b = make_report(session, category, party=unit_b, description="Lamppu B ei pala",
                           lon=24.95, lat=60.18)
    session.commit()
    users = {
        "admin": _user(session, "admin", Role.ADMIN),
        "manager": _user(session, "manager", Role.MANAGER),
        "moderator": _user(session, "moderator", Role.MODERATOR),
        "handler_a": _user(session, "handler_a", Role.HANDLER, unit_a),
        "handler_b": _user(session, "handler_b", Role.HANDLER, unit_b),
        "contractor": _user(session, "contractor", Role.CONTRACTOR, contractor),
    }
    return StaffWorld(unit_a, unit_b, contractor, category, report_a, report_b, users)


def _user(session: Session, name: str, role: Role, party: Party | None = None) -> StaffUser:
    """As `feedbackgis users create` makes one, with the argon2 hash computed once per run
    (each costs a good fraction of a second by design)."""
    user = StaffUser(email=f"{name}@city.example.fi", name=name.replace("_", " ").title(),
                     role=role, party_id=party.id if party else None,
                     password_hash=_password_hash(), active=True, failed_logins=0)
    session.add(user)
    session.commit()
    return user


@cache
def _password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)


def sign_in_as(client: FlaskClient, user: StaffUser) -> None:
    """A staff session as web/staff/session.sign_in opens one (without argon2's cost)."""
    now = int(time.time())
    with client.session_transaction() as session:
        session.clear()
        session[SESSION_KEY] = {"id": user.id, "since": now, "seen": now,
                                "key": password_fingerprint(user)}


def csrf(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)

"""Reports for the inbox tests: two units with a zone, two categories and a few people
each, and reports of every kind the filters tell apart (statuses, ages, due dates, people).

Times are fixed relative to NOW (the database's own clock is not used for them): created,
updated and due dates are set explicitly after each report is made.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from shapely.geometry import box
from sqlalchemy import update
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import Category, Party, PartyKind, Report, StaffUser, Zone
from tests.integration.factories import make_category, make_party, make_report, make_zone
from tests.integration.staff.staff_world import sign_in_as

NOW = datetime.now(UTC)
PASSWORD = "correct horse battery"  # noqa: S105 - the tests' own


@cache
def _password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)


@dataclass
class InboxWorld:
    """Ids only: rows loaded here would be detached by the first request of a test."""

    unit_a: int
    unit_b: int
    contractor: int
    lights: int
    potholes: int
    zone_a: int
    zone_b: int
    users: dict[str, int]  # by a short name, e.g. "handler_a"
    reports: dict[str, int]  # by a short name, e.g. "a_late"


def staff(session: Session, name: str, role: Role, party: Party | None = None) -> StaffUser:
    user = StaffUser(email=f"{name}@city.example.fi", name=name.replace("_", " ").title(),
                     role=role, party_id=party.id if party else None,
                     password_hash=_password_hash(), active=True, failed_logins=0)
    session.add(user)
    session.flush()
    return user


def report(session: Session, category: Category, party: Party | None, *,
           status: ReportStatus = ReportStatus.ASSIGNED, zone: Zone | None = None,
           person: StaffUser | None = None, age_days: float = 1, due_in_days: float | None = None,
           updated_days_ago: float | None = None, description: str = "Vika",
           lon: float | None = 24.94, lat: float | None = 60.17,
           address: str | None = None) -> Report:
    made = make_report(session, category, party=party, description=description, lon=lon,
                       lat=lat, address=address)
    values = {
        "status": status, "assigned_zone_id": zone.id if zone else None,
        "assigned_user_id": person.id if person else None,
        "created_at": NOW - timedelta(days=age_days),
        "updated_at": NOW - timedelta(days=age_days if updated_days_ago is None
                                      else updated_days_ago),
        "due_at": NOW + timedelta(days=due_in_days) if due_in_days is not None else None,
    }
    session.execute(update(Report).where(Report.id == made.id).values(**values))
    session.flush()
    session.expire(made)
    return made


def build_inbox_world(session: Session) -> InboxWorld:
    unit_a = make_party(session, "Katuyksikkö A")
    unit_b = make_party(session, "Puistoyksikkö B")
    contractor = make_party(session, "Urakoitsija Oy", kind=PartyKind.CONTRACTOR)
    lights = make_category(session, "streetlight")
    potholes = make_category(session, "pothole")
    zone_a = make_zone(session, unit_a, box(24.9, 60.1, 25.0, 60.2), name="Keskusta A")
    zone_b = make_zone(session, unit_b, box(24.9, 60.1, 25.0, 60.2), name="Puisto B")
    users = {
        "admin": staff(session, "admin", Role.ADMIN),
        "moderator": staff(session, "moderator", Role.MODERATOR),
        "manager": staff(session, "manager", Role.MANAGER),
        "handler_a": staff(session, "handler_a", Role.HANDLER, unit_a),
        "colleague_a": staff(session, "colleague_a", Role.HANDLER, unit_a),
        "handler_b": staff(session, "handler_b", Role.HANDLER, unit_b),
        "contractor": staff(session, "contractor", Role.CONTRACTOR, contractor),
    }
    me, colleague = users["handler_a"], users["colleague_a"]
    S = ReportStatus
    reports = {
        "a_new": report(session, lights, unit_a, age_days=0.2, due_in_days=9, zone=zone_a),
        "a_late": report(session, lights, unit_a, age_days=20, due_in_days=-3.5, person=me,
                         zone=zone_a, updated_days_ago=0.5),
        "a_late_today": report(session, potholes, unit_a, age_days=12, due_in_days=-0.2,
                               person=colleague),
        "a_working": report(session, potholes, unit_a, status=S.IN_PROGRESS, age_days=5,
                            due_in_days=2, person=me, updated_days_ago=0.1),
        "a_waiting": report(session, lights, unit_a, status=S.WAITING, age_days=40,
                            due_in_days=-30, zone=zone_a, updated_days_ago=3),
        "a_fixed": report(session, lights, unit_a, status=S.FIXED, age_days=60,
                          due_in_days=-50, person=colleague, updated_days_ago=50),
        "a_closed": report(session, potholes, unit_a, status=S.CLOSED, age_days=400,
                           due_in_days=-390, updated_days_ago=380),
        "a_unpinned": report(session, potholes, unit_a, age_days=3, lon=None, lat=None,
                             address="Mannerheimintie 1"),
        "triage": report(session, lights, None, status=S.TRIAGE, age_days=1),
        "b_open": report(session, lights, unit_b, age_days=2, due_in_days=5, zone=zone_b,
                         person=users["handler_b"], description="Puiston lamppu B"),
        "b_late": report(session, potholes, unit_b, age_days=30, due_in_days=-10,
                         description="Kuoppa B"),
        "b_fixed": report(session, potholes, unit_b, status=S.FIXED, age_days=90),
        "contracted": report(session, lights, contractor, status=S.IN_PROGRESS, age_days=4),
    }
    session.commit()
    return InboxWorld(unit_a.id, unit_b.id, contractor.id, lights.id, potholes.id, zone_a.id,
                      zone_b.id, {name: user.id for name, user in users.items()},
                      {name: made.id for name, made in reports.items()})


def sign_in(client, session: Session, user_id: int) -> StaffUser:  # noqa: ANN001
    """Sign `client` in as the user (read afresh: the last request closed the session)."""
    user = session.get(StaffUser, user_id)
    sign_in_as(client, user)
    return user

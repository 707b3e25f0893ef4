"""Two contractors, each with work orders, and a unit: what the work-order tests need.

Contractor A holds two open work orders (a1 at the centre, with the reporter's contact in
a category that shares it, an internal note of the city's and a photo staff hid; a2 a
kilometre north) and one fixed; contractor B holds b1. Every open one has a link.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.tokens import WORK_ORDER, derive_token
from feedbackgis.models import (
    EventKind,
    Party,
    PartyKind,
    Photo,
    PhotoKind,
    Report,
    ReportEvent,
    StaffUser,
)
from feedbackgis.services.work_orders.links import renew_work_order_link
from tests.integration.factories import SECRET_KEY, make_category, make_party, make_report
from tests.integration.staff.staff_world import _user

INTERNAL_NOTE = "Sisäinen: urakoitsijan laskutus tarkistettava"
REPORTER = {"name": "Aino Asukas", "email": "aino@example.fi", "phone": "040 123 4567"}
NOW = datetime.now(UTC)


@dataclass
class WorkWorld:
    contractor_a: Party
    contractor_b: Party
    unit: Party
    a1: Report
    a2: Report
    a_fixed: Report
    b1: Report
    users: dict[str, StaffUser]  # contractor_a, contractor_b, handler, admin
    hidden_photo: Photo


def build_work_world(session: Session) -> WorkWorld:
    contractor_a = make_party(session, "Valourakoitsija A Oy", kind=PartyKind.CONTRACTOR,
                              emails=["tyonjohto@a.example"])
    contractor_b = make_party(session, "Kaivuu B Oy", kind=PartyKind.CONTRACTOR,
                              emails=["b@b.example"])
    unit = make_party(session, "Katuyksikkö", emails=["katu@city.example"])
    shared = make_category(session, "streetlight", share_contact_with_party=True)
    private = make_category(session, "pothole")
    a1 = make_report(session, shared, party=contractor_a, address="Aleksanterinkatu 1",
                     description="Lamppu A1 ei pala", lon=24.9500, lat=60.1700,
                     contact=REPORTER)
    a2 = make_report(session, private, party=contractor_a, description="Kuoppa A2",
                     lon=24.9500, lat=60.1790)
    a_fixed = make_report(session, private, party=contractor_a, description="Korjattu A3")
    a_fixed.status = ReportStatus.FIXED
    b1 = make_report(session, private, party=contractor_b, description="Kuoppa B1 salainen",
                     contact={"name": "Bertta Bee", "email": "bertta@example.fi"})
    a1.due_at, a2.due_at = NOW + timedelta(days=9), NOW + timedelta(days=2)
    for report in (a1, a2, b1):
        renew_work_order_link(report)
    a1.events.append(ReportEvent(kind=EventKind.NOTE, actor="Käsittelijä", note=INTERNAL_NOTE,
                                 is_public=False))
    hidden = Photo(report_id=a1.id, image_key="hidden/none.jpg", width=1, height=1, bytes=1,
                   hidden=True, kind=PhotoKind.REPORTER, upload_token_hash="h" * 64)
    session.add(hidden)
    session.commit()
    users = {
        "contractor_a": _user(session, "contractor_a", Role.CONTRACTOR, contractor_a),
        "contractor_b": _user(session, "contractor_b", Role.CONTRACTOR, contractor_b),
        "handler": _user(session, "handler", Role.HANDLER, unit),
        "admin": _user(session, "admin", Role.ADMIN),
    }
    return WorkWorld(contractor_a, contractor_b, unit, a1, a2, a_fixed, b1, users, hidden)


def token_of(report: Report) -> str:
    return derive_token(SECRET_KEY, WORK_ORDER, report.work_order_nonce)


def link_of(report: Report) -> str:
    return f"/work/link/{report.id}/{token_of(report)}"


def csrf(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)

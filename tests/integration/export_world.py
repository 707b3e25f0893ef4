"""Three reports for the export tests, their values worked out by hand (Europe/Helsinki).

 #  created (local)        point               party/zone        status  device   contact
 1  Tue 2026-03-03 10:00   24.9384, 60.1699    Valaistus/Keskusta fixed   phone    yes
    first response Thu 03-05 12:00 (2 working days), fixed Mon 03-09 09:00 (4 working
    days: Tue counts 0, Wed 1, Thu 2, Fri 3, Mon 4), due Tue 03-10 16:00, reopened once;
    its description starts with = (a formula, were it not made safe).
 2  Wed 2026-07-15 18:30   none (an address)   none               triage  computer no
    (summer time: +03:00; after 16:00, so it would count from Thursday)
 3  Wed 2025-12-31 10:00   25.0, 60.2          Valaistus          assigned  -      yes
    (outside the period 2026-01..2026-12: in no export of it)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import shapely
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import Category, Party, Report, StaffUser, Zone
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.staff.users import create_user
from tests.integration.factories import make_category, make_party, make_report, make_zone

HELSINKI = ZoneInfo("Europe/Helsinki")
YEAR_2026 = FigureFilters(first_month=datetime(2026, 1, 1).date(),
                          last_month=datetime(2026, 12, 1).date())
DESCRIPTION_1 = '=HYPERLINK("http://evil.example","click")'
CONTACT_1 = {"name": "Aino Asukas", "email": "aino@example.fi", "phone": "+358401234567"}
PASSWORD = "correct horse battery"  # noqa: S105 - the tests' own


def local(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


@dataclass
class ExportWorld:
    category: Category
    party: Party
    zone: Zone
    first: Report
    second: Report
    outside: Report
    admin: StaffUser
    manager: StaffUser
    handler: StaffUser


def build_export_world(session: Session) -> ExportWorld:
    category = make_category(session, "export-light")
    category.name_fi, category.name_sv, category.name_en = "Katuvalo", "Gatlyse", "Streetlight"
    party = make_party(session, "Valaistus Oy")
    other = make_party(session, "Toinen yksikkö")
    zone = make_zone(session, party, shapely.box(24.9, 60.1, 25.0, 60.2), name="Keskusta")
    first = make_report(session, category, party=party, lon=24.9384, lat=60.1699,
                        address="Mannerheimintie 1", description=DESCRIPTION_1,
                        language="fi", contact=CONTACT_1)
    first.created_at = local(3, 3, 10)
    first.status = ReportStatus.FIXED
    first.assigned_zone_id = zone.id
    first.first_response_at, first.fixed_at = local(3, 5, 12), local(3, 9, 9)
    first.due_at, first.reopen_count = local(3, 10, 16), 1
    first.submitted_from, first.with_contact = "phone", True
    second = make_report(session, category, lon=None, lat=None, address="Kauppatori",
                         description="Roska-astia täynnä", language="sv")
    second.created_at = local(7, 15, 18, 30)
    second.submitted_from = "computer"
    outside = make_report(session, category, party=party, lon=25.0, lat=60.2,
                          contact={"email": "old@example.fi"})
    outside.created_at = local(12, 31, 10, year=2025)
    session.flush()
    admin = create_user(session, "admin@example.fi", Role.ADMIN, PASSWORD, name="Admin")
    manager = create_user(session, "manager@example.fi", Role.MANAGER, PASSWORD,
                          name="Manager")
    handler = create_user(session, "handler@example.fi", Role.HANDLER, PASSWORD,
                          party=other.name, name="Handler")
    session.commit()
    return ExportWorld(category, party, zone, first, second, outside, admin, manager,
                       handler)

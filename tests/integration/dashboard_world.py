"""Six reports whose dashboard figures were worked out by hand (times Europe/Helsinki,
every report came on a working day before 16:00, so it counts from that day).

Working-day numbers: Jan 7 Wed 3 | 8 Thu 4 | 12 Mon 6 | 13 Tue 7 | 14 Wed 8 | 15 Thu 9;
Feb 2 Mon 21 | 3 Tue 22 | 5 Thu 24 | 9 Mon 26 | 13 Fri 30.

 #  created     cat party zone status      device   offl contact lang resp fixed due
 1  01-07 10:00 C1  P1    Z1   fixed       phone    -    yes     fi   1    3     01-14 ok
 2  01-08 10:00 C1  P1    Z1   fixed       computer -    -       fi   0    5     01-13 late
 3  01-12 09:00 C2  P2    Z2   in_progress phone    yes  yes     sv   2    -
 4  02-02 10:00 C2  P2    Z2   fixed(reop) phone    -    -       en   1    5     02-13 ok
 5  02-03 10:00 C1  -     -    triage      system   -    -       fi   -    -
 6  02-05 10:00 C1  P1    Z1   duplicate   computer -    -       fi   -    -

In all: 6 reports; first response 0,1,1,2 (median 1, p90 1.7); fixed 3,5,5 (median 5,
p90 5); fixed within due time 2 of 3; reopened 1 of 3 ever fixed; duplicates 1 of 6;
phones 3, offline 1, contact 2 of 6; Finnish 4, Swedish 1, English 1.
P1 (1, 2, 6): response 0,1 (median 0.5, p90 0.9), fixed 3,5 (median 4, p90 4.8).
P2 (3, 4): response 1,2 (median 1.5, p90 1.9), fixed 5 (median 5, p90 5).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import shapely
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import Category, Party, PartyKind, Zone
from tests.integration.factories import make_category, make_party, make_report, make_zone

HELSINKI = ZoneInfo("Europe/Helsinki")
S = ReportStatus
PERIOD = "from=2026-01&to=2026-02"


def local(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=HELSINKI)


@dataclass
class DashboardWorld:
    c1: Category
    c2: Category
    p1: Party
    p2: Party
    z1: Zone
    z2: Zone


# number: (category, party, status, device, offline, contact, language, created,
#          first response, fixed, due, reopened)
REPORTS = {
    1: ("c1", "p1", S.FIXED, "phone", False, True, "fi", (1, 7, 10), (1, 8, 9), (1, 12, 11),
        (1, 14, 16), False),
    2: ("c1", "p1", S.FIXED, "computer", False, False, "fi", (1, 8, 10), (1, 8, 15),
        (1, 15, 11), (1, 13, 16), False),
    3: ("c2", "p2", S.IN_PROGRESS, "phone", True, True, "sv", (1, 12, 9), (1, 14, 10), None,
        None, False),
    4: ("c2", "p2", S.FIXED, "phone", False, False, "en", (2, 2, 10), (2, 3, 9), (2, 9, 12),
        (2, 13, 16), True),
    5: ("c1", None, S.TRIAGE, "system", False, False, "fi", (2, 3, 10), None, None, None,
        False),
    6: ("c1", "p1", S.DUPLICATE, "computer", False, False, "fi", (2, 5, 10), None, None,
        None, False),
}


def build_dashboard_world(session: Session, *, category_name: str | None = None
                          ) -> DashboardWorld:
    """The six reports, committed; `category_name`: C1's English name."""
    c1, c2 = make_category(session, "dash-light"), make_category(session, "dash-pothole")
    if category_name is not None:
        c1.name_en = category_name
    p1 = make_party(session, "Katuyksikkö")
    p2 = make_party(session, "Valo Oy", kind=PartyKind.CONTRACTOR)
    z1 = make_zone(session, p1, shapely.box(24.9, 60.1, 25.0, 60.2), name="Länsi")
    z2 = make_zone(session, p2, shapely.box(25.0, 60.1, 25.1, 60.2), name="Itä")
    world = DashboardWorld(c1, c2, p1, p2, z1, z2)
    for number, (category, party, status, device, offline, contact, language, created,
                 response, fixed, due, reopened) in REPORTS.items():
        owner = getattr(world, party) if party else None
        report = make_report(session, getattr(world, category), party=owner,
                             language=language, description=f"Raportti {number}",
                             contact={"email": f"r{number}@example.fi"} if contact else None)
        report.created_at = local(*created)
        report.status = status
        report.assigned_zone_id = (z1 if party == "p1" else z2).id if party else None
        report.submitted_from, report.sent_offline, report.with_contact = (
            device, offline, contact)
        report.first_response_at = local(*response) if response else None
        report.fixed_at = local(*fixed) if fixed else None
        report.due_at = local(*due) if due else None
        report.reopen_count = 1 if reopened else 0
    session.commit()
    return world

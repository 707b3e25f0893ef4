"""The figures foundation against hand-computed numbers: the trigger that keeps a report's
first response and fix times, the monthly rollups, the dashboard's sums, medians and
shares, the refresh of changed months, and a handler's scope of one party.

The ten reports below (times in Europe/Helsinki) were worked out by hand. Working-day
numbers of the days used, counted from Fri 2026-01-02 = 1 (Thu 01-01 and Tue 01-06 are
holidays; a day off has the number of the working day before it):

    Jan  2 Fri 1 | 5 Mon 2 | 6 Tue (Epiphany) 2 | 7 Wed 3 | 8 Thu 4 | 9 Fri 5 | 10-11 5
         12 Mon 6 | 13 Tue 7 | 14 Wed 8 | 15 Thu 9 | 16 Fri 10 | 19 Mon 11 | 20 Tue 12
         21 Wed 13 | 22 Thu 14 | 23 Fri 15
    Feb  2 Mon 21 | 3 Tue 22 | 5 Thu 24 | 6 Fri 25 | 7 Sat 25 | 9 Mon 26 | 10 Tue 27
         11 Wed 28 | 13 Fri 30

A report counts from the day it came (before 16:00 on a working day) or the next working
day (number + 1); a duration is the answer day's number minus that.

 #  created             cat party zone status      device   offl contact lang resp fixed due
 1  Mon 01-05 10:00     C1  P2    Z2   fixed       phone    -    yes     fi   1    3     01-08 late
 2  Sat 01-10 11:00     C1  P2    Z2   closed      computer -    yes     sv   0    1     01-14 ok
 3  Mon 01-05 17:30 eve C2  P1    Z1   fixed(reop) phone    yes  yes     fi   1    7     01-19 ok
 4  Tue 01-06 12:00 hol C1  P1    Z1   in_progress computer -    yes     en   0    -
 5  Thu 01-15 09:00     C1  P2<P1 Z1   fixed       phone    -    -       fi   2    4     01-22 ok
 6  Tue 01-20 10:00     C2  P1    Z1   duplicate   computer -    -       fi   -    -
 7  Thu 01-22 13:00     C1  P2    Z2   withdrawn   phone    yes  yes     fi   -    -
 8  Mon 02-02 16:30 eve C2  P2    Z2   fixed       phone    yes  yes     fi   0    3     02-05 late
 9  Sat 02-07 10:00     C2  P1    Z1   fixed       computer -    -       fi   1    4     none
10  Wed 02-11 09:00     C2  -     -    triage      system   -    -       en   -    -

Report 3 was fixed on 01-12, reopened by its reporter, fixed again on 01-16. Report 5 was
routed to P1 and reassigned to P2 (its zone stays). Report 6 was merged (a merge is no
response); 7 was withdrawn by its reporter and 10 only had automatic and follower events:
neither has a first response.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import shapely
from sqlalchemy import select, text

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import PartyKind, Report, ReportEvent
from feedbackgis.models.figures import FigureDuration, FigureMonth
from feedbackgis.models.report import EventKind
from feedbackgis.services.analytics.dashboard import FigureFilters, dashboard_figures
from feedbackgis.services.analytics.refresh import (
    figures_refreshed_at,
    refresh_all_figures,
    refresh_changed_figures,
)
from tests.integration.factories import make_category, make_party, make_report, make_zone

TZ = "Europe/Helsinki"
HELSINKI = ZoneInfo(TZ)
JANUARY, FEBRUARY = date(2026, 1, 1), date(2026, 2, 1)
S = ReportStatus


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HELSINKI)


@dataclass
class World:
    c1: object
    c2: object
    p1: object
    p2: object
    z1: object
    z2: object
    reports: dict[int, Report]


def _event(session, report, kind, at, actor="Kaisa Käsittelijä", *, before=None, after=None,
           public=True):
    session.add(ReportEvent(report_id=report.id, kind=kind, actor=actor, from_status=before,
                            to_status=after, is_public=public, created_at=at))
    session.flush()  # one at a time: the trigger reads the latest status change by id


def _report(session, number, *, category, party, zone, created, status,
            device, offline=False, contact=False, language="fi", due=None):
    report = make_report(session, category, party=party, language=language,
                         description=f"Raportti {number}",
                         contact={"email": f"r{number}@example.fi"} if contact else None)
    report.created_at = created
    report.status = status
    report.assigned_zone_id = zone.id if zone else None
    report.submitted_from, report.sent_offline, report.with_contact = device, offline, contact
    report.due_at = due
    session.flush()
    _event(session, report, EventKind.SUBMITTED, created, "resident", after=S.RECEIVED)
    return report


def _seed(session) -> World:
    c1 = make_category(session, "figures-light")
    c2 = make_category(session, "figures-pothole")
    p1 = make_party(session, "Katujen kunnossapito")
    p2 = make_party(session, "Valo Oy", kind=PartyKind.CONTRACTOR)
    z1 = make_zone(session, p1, shapely.box(24.9, 60.1, 25.0, 60.2), name="Länsi")
    z2 = make_zone(session, p2, shapely.box(25.0, 60.1, 25.1, 60.2), name="Itä")
    staff, contractor = "Kaisa Käsittelijä", "Valo Oy"
    r = {}
    add = _report

    r[1] = add(session, 1, category=c1, party=p2, zone=z2, created=local(1, 5, 10),
               status=S.FIXED, device="phone", contact=True, due=local(1, 8, 16))
    _event(session, r[1], EventKind.STATUS_CHANGED, local(1, 5, 10), "system",
           before=S.RECEIVED, after=S.ASSIGNED)
    _event(session, r[1], EventKind.REPLY, local(1, 5, 10, 1), "system")  # automatic answer
    _event(session, r[1], EventKind.STATUS_CHANGED, local(1, 7, 9), contractor,
           before=S.ASSIGNED, after=S.IN_PROGRESS)
    _event(session, r[1], EventKind.STATUS_CHANGED, local(1, 9, 12), contractor,
           before=S.IN_PROGRESS, after=S.FIXED)

    r[2] = add(session, 2, category=c1, party=p2, zone=z2, created=local(1, 10, 11),
               status=S.CLOSED, device="computer", contact=True, language="sv",
               due=local(1, 14, 16))
    _event(session, r[2], EventKind.STATUS_CHANGED, local(1, 10, 11), "system",
           before=S.RECEIVED, after=S.ASSIGNED)
    _event(session, r[2], EventKind.REPLY, local(1, 12, 9), contractor)
    _event(session, r[2], EventKind.STATUS_CHANGED, local(1, 13, 15), contractor,
           before=S.ASSIGNED, after=S.FIXED)
    _event(session, r[2], EventKind.STATUS_CHANGED, local(1, 20, 8), staff,
           before=S.FIXED, after=S.CLOSED)

    r[3] = add(session, 3, category=c2, party=p1, zone=z1, created=local(1, 5, 17, 30),
               status=S.FIXED, device="phone", offline=True, contact=True,
               due=local(1, 19, 16))
    r[3].reopen_count = 1
    _event(session, r[3], EventKind.STATUS_CHANGED, local(1, 5, 17, 30), "system",
           before=S.RECEIVED, after=S.ASSIGNED)
    _event(session, r[3], EventKind.STATUS_CHANGED, local(1, 8, 10), staff,
           before=S.ASSIGNED, after=S.IN_PROGRESS)
    _event(session, r[3], EventKind.STATUS_CHANGED, local(1, 12, 14), staff,
           before=S.IN_PROGRESS, after=S.FIXED)
    _event(session, r[3], EventKind.REOPENED, local(1, 14, 8), "reporter",
           before=S.FIXED, after=S.IN_PROGRESS)
    _event(session, r[3], EventKind.STATUS_CHANGED, local(1, 16, 11), staff,
           before=S.IN_PROGRESS, after=S.FIXED)

    r[4] = add(session, 4, category=c1, party=p1, zone=z1, created=local(1, 6, 12),
               status=S.IN_PROGRESS, device="computer", contact=True, language="en")
    _event(session, r[4], EventKind.NOTE, local(1, 6, 13), staff, public=False)
    _event(session, r[4], EventKind.REPLY, local(1, 7, 8, 30), staff)
    _event(session, r[4], EventKind.STATUS_CHANGED, local(1, 7, 8, 31), staff,
           before=S.ASSIGNED, after=S.IN_PROGRESS)

    r[5] = add(session, 5, category=c1, party=p2, zone=z1, created=local(1, 15, 9),
               status=S.FIXED, device="phone", due=local(1, 22, 16))
    _event(session, r[5], EventKind.STATUS_CHANGED, local(1, 15, 9), "system",
           before=S.RECEIVED, after=S.ASSIGNED)
    # Reassigned by P1's handler, internally: not an answer to the resident.
    _event(session, r[5], EventKind.ASSIGNED, local(1, 15, 14), staff, public=False)
    _event(session, r[5], EventKind.STATUS_CHANGED, local(1, 16, 10), staff,
           before=S.ASSIGNED, after=S.IN_PROGRESS, public=False)
    _event(session, r[5], EventKind.STATUS_CHANGED, local(1, 19, 7), contractor,
           before=S.IN_PROGRESS, after=S.WAITING)
    _event(session, r[5], EventKind.STATUS_CHANGED, local(1, 21, 12), contractor,
           before=S.WAITING, after=S.FIXED)

    r[6] = add(session, 6, category=c2, party=p1, zone=z1, created=local(1, 20, 10),
               status=S.DUPLICATE, device="computer")
    r[6].merged_into_id = r[3].id
    _event(session, r[6], EventKind.MERGED, local(1, 20, 14), "Maija Moderaattori",
           before=S.ASSIGNED, after=S.DUPLICATE)

    r[7] = add(session, 7, category=c1, party=p2, zone=z2, created=local(1, 22, 13),
               status=S.WITHDRAWN, device="phone", offline=True, contact=True)
    _event(session, r[7], EventKind.REPLY, local(1, 22, 13, 1), "system")
    _event(session, r[7], EventKind.STATUS_CHANGED, local(1, 23, 9), "reporter",
           before=S.ASSIGNED, after=S.WITHDRAWN)

    r[8] = add(session, 8, category=c2, party=p2, zone=z2, created=local(2, 2, 16, 30),
               status=S.FIXED, device="phone", offline=True, contact=True,
               due=local(2, 5, 16))
    _event(session, r[8], EventKind.STATUS_CHANGED, local(2, 3, 10), contractor,
           before=S.ASSIGNED, after=S.IN_PROGRESS)
    _event(session, r[8], EventKind.STATUS_CHANGED, local(2, 6, 10), contractor,
           before=S.IN_PROGRESS, after=S.FIXED)

    r[9] = add(session, 9, category=c2, party=p1, zone=z1, created=local(2, 7, 10),
               status=S.FIXED, device="computer")
    _event(session, r[9], EventKind.REPLY, local(2, 7, 11), "resident")
    _event(session, r[9], EventKind.REPLY, local(2, 10, 9), staff)
    _event(session, r[9], EventKind.STATUS_CHANGED, local(2, 13, 15), staff,
           before=S.ASSIGNED, after=S.FIXED)

    r[10] = add(session, 10, category=c2, party=None, zone=None,
                created=local(2, 11, 9), status=S.TRIAGE, device="system", language="en")
    _event(session, r[10], EventKind.STATUS_CHANGED, local(2, 11, 9), "system",
           before=S.RECEIVED, after=S.TRIAGE)
    _event(session, r[10], EventKind.REPLY, local(2, 12, 9), "follower")
    session.commit()
    session.expire_all()
    return World(c1, c2, p1, p2, z1, z2, r)


@pytest.fixture
def world(session) -> World:
    return _seed(session)


EVERY_PARTY = StatisticsScope(party_id=None)


def _dashboard(session, scope=EVERY_PARTY, **filters):
    chosen = FigureFilters(first_month=JANUARY, last_month=FEBRUARY, **filters)
    return dashboard_figures(session, chosen, scope, "fi")


def _by_key(lines):
    return {line.key: line for line in lines}


def _durations(line):
    return ((line.response.reports, line.response.median, line.response.p90),
            (line.fixed.reports, line.fixed.median, line.fixed.p90))


# --- the trigger ----------------------------------------------------------------------------

def test_the_trigger_keeps_each_seeded_reports_first_response_and_fix(world, session):
    r = world.reports
    got = {n: (r[n].first_response_at, r[n].fixed_at) for n in r}
    assert got == {
        1: (local(1, 7, 9), local(1, 9, 12)),
        2: (local(1, 12, 9), local(1, 13, 15)),  # closed later: the fix time stays
        3: (local(1, 8, 10), local(1, 16, 11)),  # fixed again after the reopening
        4: (local(1, 7, 8, 30), None),  # the internal note came first
        5: (local(1, 19, 7), local(1, 21, 12)),  # the reassignment and internal change not
        6: (None, None),  # a merge is no answer
        7: (None, None),  # the reporter's withdrawal and an automatic answer
        8: (local(2, 3, 10), local(2, 6, 10)),
        9: (local(2, 10, 9), local(2, 13, 15)),  # not the resident's own reply
        10: (None, None),  # routing and a follower
    }


def test_fixed_at_stays_on_closing_clears_on_reopening_and_returns_on_a_new_fix(session):
    category = make_category(session)
    party = make_party(session)
    report = make_report(session, category, party=party)

    def columns():
        session.expire(report)
        return report.first_response_at, report.fixed_at

    _event(session, report, EventKind.STATUS_CHANGED, local(3, 2, 9), "system",
           before=S.RECEIVED, after=S.ASSIGNED)
    _event(session, report, EventKind.REPLY, local(3, 2, 9, 5), "resident")
    _event(session, report, EventKind.STATUS_CHANGED, local(3, 2, 10), "follower",
           before=S.ASSIGNED, after=S.ASSIGNED)
    _event(session, report, EventKind.STATUS_CHANGED, local(3, 2, 11), "Kaisa",
           before=S.ASSIGNED, after=S.IN_PROGRESS, public=False)
    assert columns() == (None, None)
    _event(session, report, EventKind.REPLY, local(3, 3, 9), "Kaisa")
    assert columns() == (local(3, 3, 9), None)
    _event(session, report, EventKind.STATUS_CHANGED, local(3, 4, 9), "Kaisa",
           before=S.IN_PROGRESS, after=S.FIXED)
    assert columns() == (local(3, 3, 9), local(3, 4, 9))
    _event(session, report, EventKind.REOPENED, local(3, 5, 9), "reporter",
           before=S.FIXED, after=S.IN_PROGRESS)
    assert columns() == (local(3, 3, 9), None)
    _event(session, report, EventKind.STATUS_CHANGED, local(3, 9, 9), "Kaisa",
           before=S.IN_PROGRESS, after=S.FIXED)
    assert columns() == (local(3, 3, 9), local(3, 9, 9))
    _event(session, report, EventKind.STATUS_CHANGED, local(3, 20, 9), "Kaisa",
           before=S.FIXED, after=S.CLOSED)
    assert columns() == (local(3, 3, 9), local(3, 9, 9))


def test_an_event_changed_afterwards_is_followed_by_the_trigger_too(session):
    report = make_report(session, make_category(session), party=make_party(session))
    _event(session, report, EventKind.REPLY, local(3, 3, 9), "Kaisa")
    reply = session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)).one()
    session.execute(text("UPDATE report_event SET created_at = :at WHERE id = :id"),
                    {"at": local(3, 2, 15), "id": reply.id})
    session.expire(report)
    assert report.first_response_at == local(3, 2, 15)
    session.execute(text("UPDATE report_event SET is_public = false WHERE id = :id"),
                    {"id": reply.id})
    session.expire(report)
    assert report.first_response_at is None


# --- the rollups and the dashboard ---------------------------------------------------------

def test_the_rollup_holds_the_hand_counted_histograms(world, session):
    refresh_all_figures(session, TZ)
    rows = session.execute(select(FigureDuration.measure, FigureDuration.working_days,
                                  FigureDuration.reports)).all()
    histogram: dict[tuple[str, int], int] = {}
    for measure, days, reports in rows:
        histogram[measure, days] = histogram.get((measure, days), 0) + reports
    assert histogram == {("response", 0): 3, ("response", 1): 3, ("response", 2): 1,
                         ("fixed", 1): 1, ("fixed", 3): 2, ("fixed", 4): 2, ("fixed", 7): 1}
    months = session.execute(select(FigureMonth.month, FigureMonth.reports)).all()
    assert sorted({m for m, _ in months}) == [JANUARY, FEBRUARY]
    assert sum(n for m, n in months if m == JANUARY) == 7


def test_the_dashboard_counts_by_category_party_zone_month_and_status(world, session):
    outcome = refresh_all_figures(session, TZ)
    assert (outcome.full, outcome.months) == (True, ())
    board = _dashboard(session)
    w = world
    assert board.total.reports == 10
    assert {k: line.reports for k, line in _by_key(board.by_category).items()} == {
        w.c1.id: 5, w.c2.id: 5}
    assert {k: line.reports for k, line in _by_key(board.by_party).items()} == {
        w.p2.id: 5, w.p1.id: 4, 0: 1}
    assert [line.key for line in board.by_party] == [w.p2.id, w.p1.id, 0]  # most first
    assert {k: line.reports for k, line in _by_key(board.by_zone).items()} == {
        w.z1.id: 5, w.z2.id: 4, 0: 1}
    assert [(line.key, line.reports) for line in board.by_month] == [(JANUARY, 7), (FEBRUARY, 3)]
    assert board.by_status == {"fixed": 5, "closed": 1, "in_progress": 1, "duplicate": 1,
                               "withdrawn": 1, "triage": 1}
    assert _by_key(board.by_party)[w.p2.id].label == "Valo Oy"
    assert _by_key(board.by_category)[w.c1.id].label == "figures-light fi"
    assert board.by_month[0].label == "2026-01"
    assert board.refreshed_at is not None and board.refreshed_at == figures_refreshed_at(session)


def test_the_dashboard_medians_and_p90s_are_the_hand_computed_ones(world, session):
    refresh_all_figures(session, TZ)
    board = _dashboard(session)
    w = world
    # response 0,0,0,1,1,1,2 ; fixed 1,3,3,4,4,7
    assert _durations(board.total) == ((7, 1.0, pytest.approx(1.4)), (6, 3.5, pytest.approx(5.5)))
    party = _by_key(board.by_party)
    # P2: response 0,0,1,2 ; fixed 1,3,3,4
    assert _durations(party[w.p2.id]) == ((4, 0.5, pytest.approx(1.7)),
                                          (4, 3.0, pytest.approx(3.7)))
    # P1: response 0,1,1 ; fixed 4,7
    assert _durations(party[w.p1.id]) == ((3, 1.0, 1.0), (2, 5.5, pytest.approx(6.7)))
    assert _durations(party[0]) == ((0, None, None), (0, None, None))
    category = _by_key(board.by_category)
    # C1: response 0,0,1,2 ; fixed 1,3,4
    assert _durations(category[w.c1.id]) == ((4, 0.5, pytest.approx(1.7)),
                                             (3, 3.0, pytest.approx(3.8)))
    # C2: response 0,1,1 ; fixed 3,4,7
    assert _durations(category[w.c2.id]) == ((3, 1.0, 1.0), (3, 4.0, pytest.approx(6.4)))
    zone = _by_key(board.by_zone)
    # Z1: response 0,1,1,2 ; fixed 4,4,7.  Z2: response 0,0,1 ; fixed 1,3,3
    assert _durations(zone[w.z1.id]) == ((4, 1.0, pytest.approx(1.7)),
                                         (3, 4.0, pytest.approx(6.4)))
    assert _durations(zone[w.z2.id]) == ((3, 0.0, pytest.approx(0.8)), (3, 3.0, 3.0))
    january, february = board.by_month
    # January: response 0,0,1,1,2 ; fixed 1,3,4,7.  February: response 0,1 ; fixed 3,4
    assert _durations(january) == ((5, 1.0, pytest.approx(1.6)), (4, 3.5, pytest.approx(6.1)))
    assert _durations(february) == ((2, 0.5, pytest.approx(0.9)), (2, 3.5, pytest.approx(3.9)))


def test_the_dashboard_shares_are_the_hand_computed_ones(world, session):
    refresh_all_figures(session, TZ)
    board = _dashboard(session)
    total = board.total
    # Fixed with a due date: 1 2 3 5 8; by it: 2 3 5. Ever fixed: 1 2 3 5 8 9; reopened: 3.
    assert (total.fixed_with_due_date, total.fixed_on_time) == (5, 3)
    assert total.on_time_share == pytest.approx(3 / 5)
    assert (total.ever_fixed, total.reopened) == (6, 1)
    assert total.reopen_rate == pytest.approx(1 / 6)
    assert total.duplicate_rate == pytest.approx(1 / 10)
    assert (total.from_phone, total.sent_offline, total.with_contact) == (5, 3, 6)
    assert (total.phone_share, total.offline_share, total.contact_share) == (
        pytest.approx(0.5), pytest.approx(0.3), pytest.approx(0.6))
    assert (total.in_finnish, total.in_swedish, total.in_english) == (7, 1, 2)
    party = _by_key(board.by_party)
    assert party[world.p2.id].on_time_share == pytest.approx(2 / 4)  # 1 late, 2 ok, 5 ok, 8 late
    assert party[world.p1.id].on_time_share == 1.0  # 3 ok; 9 had no due date
    assert party[world.p1.id].reopen_rate == pytest.approx(1 / 2)  # 3 of 3, 9
    assert party[world.p1.id].duplicate_rate == pytest.approx(1 / 4)
    assert party[0].on_time_share is None and party[0].reopen_rate is None


def test_a_filter_on_one_category_and_month_adds_up_only_those(world, session):
    refresh_all_figures(session, TZ)
    chosen = FigureFilters(first_month=FEBRUARY, last_month=FEBRUARY,
                           category_id=world.c2.id)
    board = dashboard_figures(session, chosen, EVERY_PARTY, "fi")
    assert board.total.reports == 3  # 8, 9, 10
    assert _durations(board.total) == ((2, 0.5, pytest.approx(0.9)), (2, 3.5, pytest.approx(3.9)))
    assert [line.key for line in board.by_month] == [FEBRUARY]


def test_a_handlers_scope_gives_only_their_partys_figures(world, session):
    refresh_all_figures(session, TZ)
    w = world
    # Whatever party the filters name, the scope's party is what is read.
    board = _dashboard(session, StatisticsScope(party_id=w.p1.id), party_id=w.p2.id)
    assert board.filters.party_id == w.p1.id
    assert board.total.reports == 4  # 3, 4, 6, 9
    assert [line.key for line in board.by_party] == [w.p1.id]
    assert {k: line.reports for k, line in _by_key(board.by_category).items()} == {
        w.c1.id: 1, w.c2.id: 3}
    assert board.by_status == {"fixed": 2, "in_progress": 1, "duplicate": 1}
    assert _durations(board.total) == ((3, 1.0, 1.0), (2, 5.5, pytest.approx(6.7)))


# --- keeping them up to date ---------------------------------------------------------------

def test_a_refresh_of_changes_recounts_only_the_changed_reports_month(world, session):
    first = refresh_changed_figures(session, TZ, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert first.full  # nothing was counted before
    # Everything counted was changed long before the next refresh.
    session.execute(text("UPDATE report SET updated_at = '2026-02-28T00:00:00Z'"))
    refresh_all_figures(session, TZ, now=datetime(2026, 3, 2, tzinfo=UTC))
    nothing = refresh_changed_figures(session, TZ, now=datetime(2026, 3, 2, 0, 5, tzinfo=UTC))
    assert (nothing.full, nothing.months) == (False, ())

    # A January report changes without a trace (its updated_at kept): a recount of January
    # would show it, and none must happen.
    session.execute(text("UPDATE report SET language = 'sv', updated_at = updated_at "
                         "WHERE id = :id"), {"id": world.reports[1].id})
    nine = session.get(Report, world.reports[9].id)
    nine.status = S.CLOSED  # updated_at: now
    session.add(ReportEvent(report_id=nine.id, kind=EventKind.STATUS_CHANGED, actor="Kaisa",
                            from_status=S.FIXED, to_status=S.CLOSED, is_public=True,
                            created_at=local(2, 20, 9)))
    session.commit()
    outcome = refresh_changed_figures(session, TZ, now=datetime(2026, 3, 2, 0, 10, tzinfo=UTC))
    assert (outcome.full, outcome.months) == (False, (FEBRUARY,))

    board = _dashboard(session)
    assert board.by_status["closed"] == 2 and board.by_status["fixed"] == 4
    assert board.total.in_swedish == 1  # January was not counted again
    # Closing after the fix keeps report 9's fix time: its durations stay.
    assert _durations(board.by_month[1]) == ((2, 0.5, pytest.approx(0.9)),
                                             (2, 3.5, pytest.approx(3.9)))
    assert figures_refreshed_at(session) == datetime(2026, 3, 2, 0, 10, tzinfo=UTC)

    refresh_all_figures(session, TZ, now=datetime(2026, 3, 3, tzinfo=UTC))
    assert _dashboard(session).total.in_swedish == 2  # the nightly recount finds it


def test_every_month_of_the_period_has_a_line_and_a_label_those_without_reports_too(
    world, session,
):
    refresh_all_figures(session, TZ)
    chosen = FigureFilters(first_month=date(2025, 12, 1), last_month=date(2026, 3, 1))
    board = dashboard_figures(session, chosen, EVERY_PARTY, "fi")
    assert [(line.label, line.reports) for line in board.by_month] == [
        ("2025-12", 0), ("2026-01", 7), ("2026-02", 3), ("2026-03", 0)]
    december = board.by_month[0]
    assert _durations(december) == ((0, None, None), (0, None, None))
    assert december.phone_share is None and december.on_time_share is None

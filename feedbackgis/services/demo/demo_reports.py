"""seed_demo_reports: half a year of reports in the demo municipality, so that the map, the
inbox and the managers' figures have something real to show.

Deterministic (a seeded random generator) and only into a database without reports: a
second run, or a database with real reports, gets none. Each report has the history a
real one would: sent (from a phone, a computer or another system; some queued offline,
some with a contact), routed by the demo zones, answered and fixed by its party after some
working days, a few reopened by their reporter and fixed again, closed, merged as
duplicates, withdrawn. The events carry their own times, so the database's trigger sets
first_response_at and fixed_at as it would have. Nothing is sent: no outbox rows.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.figures import Device
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.tokens import FOLLOW_UP, derive_token, hash_token, new_nonce
from feedbackgis.geo.convert import point, to_db
from feedbackgis.geo.crs import ETRS_TM35FIN, WGS84, crs_from_user_input, transformer
from feedbackgis.models import Category, EventKind, Party, PartyKind, Report, ReportEvent
from feedbackgis.models.report import ReporterContact
from feedbackgis.services.reports.due_dates import set_due_date
from feedbackgis.services.reports.routing import find_routing
from feedbackgis.services.work_orders.links import end_work_order_link, renew_work_order_link

REPORTS = 96
DAYS_BACK = 180
S = ReportStatus

# code: weight, Finnish texts, a Swedish one, an English one
TEXTS = {
    "streetlight": (5, ("Katuvalo ei pala pyörätien varrella.", "Valo vilkkuu koko yön."),
                    "Gatlyktan lyser inte.", "The street light is out."),
    "pothole": (5, ("Syvä kuoppa ajoradalla bussipysäkin kohdalla.",
                    "Pyörätiellä iso halkeama ja kuoppa."),
                "Djup grop i körbanan.", "A deep pothole on the road."),
    "snow": (3, ("Jalkakäytävä on auraamatta.", "Todella liukasta, hiekoitus puuttuu."),
             "Trottoaren är inte plogad.", "The pavement has not been ploughed."),
    "litter": (3, ("Roska-astia on täynnä ja roskat lentelevät.",
                   "Metsikköön on tuotu rakennusjätettä."),
               "Papperskorgen är full.", "The bin is overflowing."),
    "park": (2, ("Leikkipuiston keinu on rikki.", "Puiston penkki on kaatunut."),
             "Gungan i lekparken är trasig.", "The playground swing is broken."),
    "graffiti": (1, ("Töhryjä koulun seinässä.",), "Klotter på skolans vägg.",
                 "Graffiti on the school wall."),
    "other": (1, ("Opastekyltti on kääntynyt väärään suuntaan.",),
              "Skylten pekar åt fel håll.", "The sign points the wrong way."),
}
# (E, N) ranges in EPSG:3067 inside the western and the eastern maintenance area.
AREAS = (((380500, 385500), (6668500, 6677500)), ((386500, 391500), (6668500, 6676500)))


@dataclass
class _Demo:
    session: Session
    rng: random.Random
    now: datetime
    zone: ZoneInfo
    time_zone: str
    parties: dict[int, Party]
    earlier: list[Report]


def seed_demo_reports(session: Session, *, secret_key: str, time_zone: str,
                      now: datetime) -> int:
    """Add the demo reports (none when the database has reports already); returns how
    many were added. Does not commit."""
    if session.scalar(select(func.count()).select_from(Report)):
        return 0
    categories = {c.code: c for c in session.scalars(select(Category).where(
        Category.code.in_(TEXTS), Category.active))}
    if not categories:
        return 0
    rng = random.Random(2026)  # noqa: S311 - the same demo every time, no secret
    demo = _Demo(session, rng, now, ZoneInfo(time_zone), time_zone,
                 {p.id: p for p in session.scalars(select(Party))}, [])
    codes = sorted(categories)
    weights = [TEXTS[code][0] for code in codes]
    for index in range(REPORTS):
        created = _arrival(demo, index)
        category = categories[demo.rng.choices(codes, weights)[0]]
        report = _new_report(demo, category, created, secret_key)
        _history(demo, report, created)
        _escalated_if_overdue(report, now)
        # One flush a report: its row, then its events in one INSERT in time order (the
        # trigger reads the latest status change by id).
        session.flush()
        demo.earlier.append(report)
    for number, report in enumerate(demo.earlier, start=1):
        if report.with_contact:
            session.add(ReporterContact(report_id=report.id, consent=True,
                                        email=f"asukas{number}@example.org"))
    session.flush()
    return REPORTS


def _arrival(demo: _Demo, index: int) -> datetime:
    """Spread over the half year, newest last; mostly daytime, some evenings and weekends."""
    days_ago = DAYS_BACK * (REPORTS - index) / REPORTS - demo.rng.uniform(0, 1.5)
    day = (demo.now - timedelta(days=max(days_ago, 0.2))).astimezone(demo.zone).date()
    hour = demo.rng.choice((7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21))
    moment = datetime.combine(day, time(hour, demo.rng.randrange(60)), tzinfo=demo.zone)
    return min(moment, demo.now - timedelta(hours=2))


def _new_report(demo: _Demo, category: Category, created: datetime,
                secret_key: str) -> Report:
    rng = demo.rng
    (east_range, north_range) = rng.choice(AREAS)
    lon, lat = transformer(crs_from_user_input(ETRS_TM35FIN), crs_from_user_input(WGS84)
                           ).transform(rng.uniform(*east_range), rng.uniform(*north_range))
    language = rng.choices(("fi", "sv", "en"), (85, 10, 5))[0]
    _weight, finnish, swedish, english = TEXTS[category.code]
    text = {"fi": rng.choice(finnish), "sv": swedish, "en": english}[language]
    device = rng.choices((Device.PHONE, Device.COMPUTER, Device.SYSTEM), (65, 30, 5))[0]
    contact = rng.random() < 0.55
    nonce = new_nonce()
    report = Report(
        category=category, category_id=category.id, location=to_db(point(lon, lat)),
        description=text, language=language, status=S.RECEIVED, is_public=True,
        published_at=created, follow_up_nonce=nonce,
        follow_up_token_hash=hash_token(derive_token(secret_key, FOLLOW_UP, nonce)),
        answers={"light_out": rng.random() < 0.8} if category.code == "streetlight" else {},
        submitted_from=device.value, with_contact=contact, created_at=created,
        sent_offline=device is Device.PHONE and rng.random() < 0.12,
    )
    demo.session.add(report)
    _event(demo, report, EventKind.SUBMITTED, created, "resident", after=S.RECEIVED)
    decision = find_routing(demo.session, report, created)
    report.assigned_party_id, report.assigned_zone_id = decision.party_id, decision.zone_id
    target = S.ASSIGNED if decision.party_id is not None else S.TRIAGE
    _event(demo, report, EventKind.ASSIGNED if target is S.ASSIGNED else EventKind.TRIAGED,
           created, "system", before=S.RECEIVED, after=target)
    report.status = target
    if target is S.ASSIGNED:
        set_due_date(demo.session, report, created, time_zone=demo.time_zone)
        renew_work_order_link(report)
    return report


def _event(demo: _Demo, report: Report, kind: EventKind, at: datetime, actor: str, *,
           before: S | None = None, after: S | None = None, note: str | None = None,
           public: bool = True) -> None:
    report.events.append(ReportEvent(kind=kind, actor=actor, from_status=before,
                                     to_status=after, note=note, is_public=public,
                                     created_at=at))


def _working_time(demo: _Demo, after: datetime, days: int) -> datetime:
    """A moment in office hours `days` calendar days after `after` (weekends skipped)."""
    day = after.astimezone(demo.zone).date() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    moment = datetime.combine(day, time(demo.rng.randrange(8, 16), demo.rng.randrange(60)),
                              tzinfo=demo.zone)
    return max(moment, after + timedelta(minutes=30))


def _actor(demo: _Demo, report: Report) -> str:
    party = demo.parties.get(report.assigned_party_id)
    if party is None:
        return "Kaisa Käsittelijä"
    return party.name if party.kind is PartyKind.CONTRACTOR else f"Käsittelijä, {party.name}"


def _history(demo: _Demo, report: Report, created: datetime) -> None:
    rng, now = demo.rng, demo.now
    if report.status is S.TRIAGE:
        answered = _working_time(demo, created, rng.choice((1, 2, 3)))
        if answered < now:
            _event(demo, report, EventKind.STATUS_CHANGED, answered, "Kaisa Käsittelijä",
                   before=S.TRIAGE, after=S.NOT_OURS,
                   note="Kohde ei ole kaupungin ylläpitämä; välitimme tiedon omistajalle.")
            report.status = S.NOT_OURS
        return
    fate = rng.random()
    if fate < 0.04:
        _end(demo, report, created + timedelta(hours=rng.randrange(2, 30)), "reporter",
             EventKind.STATUS_CHANGED, S.WITHDRAWN)
    elif fate < 0.11 and (originals := [r for r in demo.earlier[-20:]
                                        if r.category_id == report.category_id
                                        and r.merged_into_id is None]):
        report.merged_into_id = rng.choice(originals).id
        _end(demo, report, _working_time(demo, created, rng.choice((0, 1))),
             "Maija Moderaattori", EventKind.MERGED, S.DUPLICATE)
    else:
        _work(demo, report, created)


def _end(demo: _Demo, report: Report, at: datetime, actor: str, kind: EventKind,
         status: S) -> None:
    if at >= demo.now:
        return
    _event(demo, report, kind, at, actor, before=report.status, after=status)
    report.status = status
    end_work_order_link(report)


def _work(demo: _Demo, report: Report, created: datetime) -> None:
    rng, now, actor = demo.rng, demo.now, _actor(demo, report)
    answered = _working_time(demo, created, rng.choice((0, 0, 1, 1, 1, 2, 3, 5)))
    if answered >= now:
        return
    _event(demo, report, EventKind.STATUS_CHANGED, answered, actor, before=S.ASSIGNED,
           after=S.IN_PROGRESS, note="Kiitos ilmoituksesta, korjaus on työjonossa.")
    report.status = S.IN_PROGRESS
    fixed = _working_time(demo, answered, rng.choice((1, 2, 3, 4, 6, 9, 14, 21)))
    if fixed >= now:
        return
    _event(demo, report, EventKind.STATUS_CHANGED, fixed, actor, before=S.IN_PROGRESS,
           after=S.FIXED, note="Korjattu.")
    report.status = S.FIXED
    reopened = fixed + timedelta(days=rng.choice((1, 2, 3)), hours=3)
    if rng.random() < 0.1 and reopened < now:
        _event(demo, report, EventKind.REOPENED, reopened, "reporter", before=S.FIXED,
               after=S.IN_PROGRESS)
        report.status, report.reopen_count = S.IN_PROGRESS, 1
        set_due_date(demo.session, report, reopened, time_zone=demo.time_zone)
        fixed = _working_time(demo, reopened, rng.choice((1, 2, 4)))
        if fixed >= now:
            return
        _event(demo, report, EventKind.STATUS_CHANGED, fixed, actor, before=S.IN_PROGRESS,
               after=S.FIXED, note="Korjattu uudelleen.")
        report.status = S.FIXED
    closed = fixed + timedelta(days=14)
    if closed < now and rng.random() < 0.6:
        _end(demo, report, closed, actor, EventKind.STATUS_CHANGED, S.CLOSED)


def _escalated_if_overdue(report: Report, now: datetime) -> None:
    """An open demo report already past its due date counts as escalated: the demo's first
    hourly check should not mail every party about half a year of history."""
    if report.due_at is not None and report.due_at < now and report.status in (
            S.ASSIGNED, S.IN_PROGRESS, S.WAITING):
        report.escalation_level = 2


def reattach_zones(session: Session) -> int:
    """Seeding again replaces the demo zones, which leaves the reports without theirs (ON
    DELETE SET NULL): give each report its zone back where the new zones route it to the
    party it has. Returns how many got one. Does not commit."""
    lost = session.scalars(select(Report).where(
        Report.assigned_zone_id.is_(None), Report.assigned_party_id.is_not(None),
        Report.location.is_not(None)))
    found = 0
    for report in lost:
        decision = find_routing(session, report, report.created_at)
        if decision.zone_id is not None and decision.party_id == report.assigned_party_id:
            report.assigned_zone_id = decision.zone_id
            found += 1
    session.flush()
    return found

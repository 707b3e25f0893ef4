"""The staff inbox: the reports a user's role lets them see, filtered, counted and paged.

The filter comes from the page's query (schemas/staff_inbox.py); here it is checked
against what the role may see: a handler is offered their own party's zones and people
only, and a value from outside what is offered is refused (422) rather than answered, so
that no filter tells of another party's reports.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.inbox import PAGE_SIZE, InboxFilter, days_late, is_overdue
from feedbackgis.domain.permissions import Action, ReportScope, may
from feedbackgis.domain.statuses import STAFF_CHOSEN, ReportStatus
from feedbackgis.errors import InvalidInput
from feedbackgis.i18n import sort_key
from feedbackgis.models import Category, Report, StaffUser
from feedbackgis.repositories import staff_inbox
from feedbackgis.repositories.staff_inbox import InboxQuery, Named, StatusCount
from feedbackgis.services.staff.access import actor_of


@dataclass(frozen=True)
class InboxChoices:
    """What the filters and the bulk form offer this user."""

    scoped: bool  # a party's staff: they see their own party's reports only
    categories: list[Named]  # in the alphabetical order of the page's language
    zones: list[Named]
    parties: list[Named]  # none for a party's staff
    people: list[Named]
    may_assign: bool
    bulk_statuses: list[ReportStatus]  # none when the user may not change statuses


@dataclass(frozen=True)
class InboxEntry:
    report: Report
    person: str | None
    zone: str | None
    lon: float | None
    lat: float | None
    late_days: int | None  # whole days past due when overdue, else None


@dataclass(frozen=True)
class InboxPage:
    filter: InboxFilter  # page clamped to the pages there are
    entries: list[InboxEntry]
    counts: list[StatusCount]  # of the matching reports, per status (in the machine's order)
    total: int
    overdue: int
    pages: int
    first: int  # the number of the page's first row (1-based); 0 when none
    choices: InboxChoices
    now: datetime

    @property
    def reports_by_status(self) -> dict[ReportStatus, int]:
        return {count.status: count.reports for count in self.counts}

    @property
    def last(self) -> int:
        """The number of the page's last row."""
        return self.first + len(self.entries) - 1 if self.entries else 0


def may_on_own_party(user: StaffUser, action: Action) -> bool:
    """Whether user may do action on the reports they see (their party's, for party roles)."""
    return may(actor_of(user), action, ReportScope(assigned_party_id=user.party_id))


def inbox_choices(session: Session, user: StaffUser, language: str) -> InboxChoices:
    categories = sorted(session.scalars(select(Category)),
                        key=lambda c: (sort_key(c.name(language), language), c.id))
    scoped = not may(actor_of(user), Action.VIEW_REPORT)  # a party's staff
    party_id = user.party_id if scoped else None
    may_change = may_on_own_party(user, Action.CHANGE_STATUS)
    return InboxChoices(
        scoped=scoped,
        categories=[Named(c.id, c.name(language)) for c in categories],
        zones=staff_inbox.zones_of(session, party_id) if not scoped or party_id else [],
        parties=[] if scoped else staff_inbox.parties(session),
        people=staff_inbox.people_of(session, party_id) if not scoped or party_id else [],
        may_assign=may_on_own_party(user, Action.ASSIGN_PERSON),
        bulk_statuses=[s for s in ReportStatus if s in STAFF_CHOSEN] if may_change else [],
    )


def check_choices(user: StaffUser, wanted: InboxFilter, choices: InboxChoices) -> None:
    """InvalidInput naming every filter whose value is not one offered to this user."""
    wrong: dict[str, list[str]] = {}

    def offered(field: str, value: int | None, among: list[Named]) -> None:
        if value is not None and value not in {item.id for item in among}:
            wrong[field] = [f"{value} is not one of the choices offered."]

    offered("category", wanted.category_id, choices.categories)
    offered("zone", wanted.zone_id, choices.zones)
    if choices.scoped:
        if wanted.party_id is not None and wanted.party_id != user.party_id:
            wrong["party"] = [f"{wanted.party_id} is not one of the choices offered."]
    else:
        offered("party", wanted.party_id, choices.parties)
    if isinstance(wanted.person, int):  # not "me" or "nobody"
        offered("person", wanted.person, choices.people)
    if wrong:
        raise InvalidInput("Check the filters.", fields=wrong)


def inbox_page(session: Session, user: StaffUser, wanted: InboxFilter, language: str, *,
               now: datetime | None = None) -> InboxPage:
    """The page of the inbox `wanted` asks for: its reports, the counts and the choices."""
    choices = inbox_choices(session, user, language)
    check_choices(user, wanted, choices)
    now = now or datetime.now(UTC)
    query = InboxQuery(actor=actor_of(user), filter=wanted, user_id=user.id, now=now,
                       category_order=tuple(c.id for c in choices.categories))
    counts = _in_machine_order(staff_inbox.count_reports(session, query))
    total = sum(count.reports for count in counts)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    shown = wanted.on_page(min(wanted.page, pages))
    offset = (shown.page - 1) * PAGE_SIZE
    rows = staff_inbox.page_rows(session, replace(query, filter=shown), PAGE_SIZE, offset)
    entries = [InboxEntry(row.report, row.person, row.zone, row.lon, row.lat,
                          _late_days(row.report, now)) for row in rows]
    return InboxPage(filter=shown, entries=entries, counts=counts, total=total,
                     overdue=sum(count.overdue for count in counts), pages=pages,
                     first=offset + 1 if entries else 0, choices=choices, now=now)


def _in_machine_order(counts: list[StatusCount]) -> list[StatusCount]:
    order = {status: rank for rank, status in enumerate(ReportStatus)}
    return sorted(counts, key=lambda count: order[count.status])


def _late_days(report: Report, now: datetime) -> int | None:
    if not is_overdue(report.status, report.due_at, now) or report.due_at is None:
        return None
    return days_late(report.due_at, now)

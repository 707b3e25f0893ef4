"""The staff inbox's queries: a page of the reports a role sees, and their counts.

Both queries share one WHERE (the role's reports and the filter). The counts are one
GROUP BY status over the reports that match; the page is found in two steps: first the
ids of the page, sorted and cut with LIMIT/OFFSET, then those 50 reports with what the
table shows. For a party's staff both read only ix_report_inbox (party, status, and every
filter and sort column included): index-only scans over the party's reports, whichever
filter or sort is chosen; the reports themselves are read for the 50 rows shown.

LIMIT/OFFSET rather than keyset: the page has numbered pages with counts, five sort keys
(a due date may be missing), and a party's reports in a status are thousands, not
millions. An offset costs what the rows before it cost, and in the ids step those are
index entries, not reports.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.inbox import InboxFilter, InboxSort, PersonFilter, SortOrder
from feedbackgis.domain.permissions import Actor
from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.models import Party, Report, StaffUser, Zone
from feedbackgis.repositories.staff_reports import visible_to


@dataclass(frozen=True)
class InboxQuery:
    """A filter made concrete for one user at one moment."""

    actor: Actor
    filter: InboxFilter
    user_id: int  # whom "me" means
    now: datetime
    # Category ids in the order of their names in the page's language (the database's
    # collation may not know the language's alphabet).
    category_order: tuple[int, ...] = ()


@dataclass(frozen=True)
class StatusCount:
    status: ReportStatus
    reports: int
    overdue: int


@dataclass(frozen=True)
class InboxRow:
    report: Report
    person: str | None  # the assigned person's name (or email)
    zone: str | None
    lon: float | None
    lat: float | None


def _overdue(now: datetime) -> ColumnElement[bool]:
    return Report.status.in_(sorted(OPEN_STATUSES)) & (Report.due_at < now)


def conditions(query: InboxQuery) -> list[ColumnElement[bool]]:
    f = query.filter
    where = [visible_to(query.actor), Report.status.in_(sorted(f.statuses))]
    if f.category_id is not None:
        where.append(Report.category_id == f.category_id)
    if f.zone_id is not None:
        where.append(Report.assigned_zone_id == f.zone_id)
    if f.party_id is not None:
        where.append(Report.assigned_party_id == f.party_id)
    if f.min_age_days is not None:
        where.append(Report.created_at <= query.now - timedelta(days=f.min_age_days))
    if f.max_age_days is not None:
        where.append(Report.created_at >= query.now - timedelta(days=f.max_age_days))
    if f.overdue_only:
        where.append(_overdue(query.now))
    if f.person is PersonFilter.NOBODY:
        where.append(Report.assigned_user_id.is_(None))
    elif f.person is PersonFilter.ME:
        where.append(Report.assigned_user_id == query.user_id)
    elif f.person is not None:
        where.append(Report.assigned_user_id == f.person)
    return where


def count_reports(session: Session, query: InboxQuery) -> list[StatusCount]:
    """The matching reports per status (statuses with none left out), and how many of
    each are overdue."""
    rows = session.execute(
        select(Report.status, func.count(),
               func.count().filter(Report.due_at < query.now))
        .where(*conditions(query)).group_by(Report.status))
    return [StatusCount(status, reports, overdue if status in OPEN_STATUSES else 0)
            for status, reports, overdue in rows]


def _sort_key(query: InboxQuery) -> ColumnElement:
    sort = query.filter.sort
    if sort is InboxSort.DUE:
        return Report.due_at
    if sort is InboxSort.UPDATED:
        return Report.updated_at
    if sort is InboxSort.STATUS:
        # The state machine's order; each WHEN compares as the column's enum type.
        return case(*[(Report.status == status, rank)
                      for rank, status in enumerate(ReportStatus)])
    if sort is InboxSort.CATEGORY and query.category_order:
        return case({cid: rank for rank, cid in enumerate(query.category_order)},
                    value=Report.category_id, else_=len(query.category_order))
    if sort is InboxSort.CATEGORY:
        return Report.category_id
    return Report.created_at


def page_ids_query(query: InboxQuery, limit: int, offset: int) -> Select:
    """The ids of one page, in the page's order; the id breaks ties in the same direction
    (a due date may be missing: those come last either way)."""
    key = _sort_key(query)
    if query.filter.order is SortOrder.ASC:
        order = (key.asc().nulls_last(), Report.id.asc())
    else:
        order = (key.desc().nulls_last(), Report.id.desc())
    return (select(Report.id).where(*conditions(query)).order_by(*order)
            .limit(limit).offset(offset))


def page_rows(session: Session, query: InboxQuery, limit: int, offset: int) -> list[InboxRow]:
    ids = list(session.scalars(page_ids_query(query, limit, offset)))
    if not ids:
        return []
    person = func.coalesce(StaffUser.name, StaffUser.email)
    rows = session.execute(
        select(Report, person, Zone.name, func.ST_X(Report.location),
               func.ST_Y(Report.location))
        .outerjoin(StaffUser, StaffUser.id == Report.assigned_user_id)
        .outerjoin(Zone, Zone.id == Report.assigned_zone_id)
        .where(Report.id.in_(ids)))
    by_id = {report.id: InboxRow(report, name, zone, lon, lat)
             for report, name, zone, lon, lat in rows}
    return [by_id[report_id] for report_id in ids if report_id in by_id]


@dataclass(frozen=True)
class Named:
    id: int
    name: str
    party: str | None = None  # the party it belongs to, for people and zones


def zones_of(session: Session, party_id: int | None) -> list[Named]:
    """The zones of a party (every zone for None), without their geometries."""
    query = select(Zone.id, Zone.name, Party.name).join(Party, Party.id == Zone.party_id)
    if party_id is not None:
        query = query.where(Zone.party_id == party_id)
    return [Named(*row) for row in session.execute(query.order_by(Party.name, Zone.name,
                                                                 Zone.id))]


def parties(session: Session) -> list[Named]:
    return [Named(*row) for row in session.execute(
        select(Party.id, Party.name).order_by(Party.name))]


def people_of(session: Session, party_id: int | None) -> list[Named]:
    """The active staff of a party (of every party for None): whom reports may be given to."""
    query = (select(StaffUser.id, func.coalesce(StaffUser.name, StaffUser.email), Party.name)
             .join(Party, Party.id == StaffUser.party_id).where(StaffUser.active))
    if party_id is not None:
        query = query.where(StaffUser.party_id == party_id)
    return [Named(*row) for row in session.execute(
        query.order_by(Party.name, func.coalesce(StaffUser.name, StaffUser.email)))]

"""The reports of an export, read in keyset batches, and the state of the data a prepared
file was made from (so that the same ask of the same data reuses the file).

Batches go by (created_at, id) from the start of the period: each batch is one short query
on ix_report_created_at, whatever the size of the export, and a commit between two batches
(the job's progress) costs nothing. Working days are counted as the figures count them
(repositories/figures.py, domain/figures.py): by calendar_day, from the working day the
report counts from to the day of the answer.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Date,
    Row,
    Select,
    Time,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from feedbackgis.domain.figures import DAY_ENDS_AT
from feedbackgis.models import CalendarDay, Category, Party, Report, ReporterContact, Zone

WGS84 = 4326
BATCH_SIZE = 2000


def data_state(session: Session, conditions: Sequence[Any], *,
               with_contact: bool = False) -> dict[str, Any]:
    """What a prepared file depends on: how many reports match and when the last of them
    changed (a new, changed or removed report changes it), and with contacts, how many of
    them have one."""
    columns = [func.count(Report.id), func.max(Report.updated_at)]
    query = select(*columns).where(*conditions)
    if with_contact:
        query = (select(*columns, func.count(ReporterContact.report_id))
                 .outerjoin(ReporterContact, ReporterContact.report_id == Report.id)
                 .where(*conditions))
    row = session.execute(query).one()
    state = {"reports": row[0], "updated": row[1].isoformat() if row[1] else None}
    if with_contact:
        state["contacts"] = row[2]
    return state


def count_reports(session: Session, conditions: Sequence[Any]) -> int:
    return session.scalar(select(func.count(Report.id)).where(*conditions)) or 0


def _working_days(time_zone: str, answered: Any) -> Any:
    """Working days from the day the report counts from to the day of `answered`."""
    began, ended = aliased(CalendarDay), aliased(CalendarDay)
    created_local = func.timezone(time_zone, Report.created_at)
    counts_from = began.working_day_number + case(
        (and_(began.is_working_day, cast(created_local, Time) < DAY_ENDS_AT), 0), else_=1)
    days = func.greatest(0, ended.working_day_number - counts_from)
    return (select(days)
            .where(began.day == cast(created_local, Date),
                   ended.day == cast(func.timezone(time_zone, answered), Date))
            .scalar_subquery())


def export_query(conditions: Sequence[Any], *, language: str, time_zone: str, srid: int,
                 with_contact: bool) -> Select[Any]:
    """One row per report: its facts, names in `language`, its point's x and y in `srid`
    (none without a point) and, with_contact, the reporter's name, email and phone."""
    point = Report.location if srid == WGS84 else func.ST_Transform(Report.location, srid)
    category_name = getattr(Category, f"name_{language}", Category.name_fi)
    columns = [
        Report.id, Report.created_at,
        func.coalesce(func.nullif(category_name, ""), Category.name_fi).label("category"),
        Report.status, Party.name.label("party"), Zone.name.label("zone"), Report.address,
        Report.description, Report.first_response_at, Report.fixed_at, Report.due_at,
        _working_days(time_zone, Report.first_response_at).label("days_to_response"),
        _working_days(time_zone, Report.fixed_at).label("days_to_fixed"),
        Report.reopen_count, Report.submitted_from, Report.language,
        func.ST_X(point).label("x"), func.ST_Y(point).label("y"),
    ]
    if with_contact:
        columns += [ReporterContact.name.label("contact_name"),
                    ReporterContact.email.label("contact_email"),
                    ReporterContact.phone.label("contact_phone")]
    else:
        columns += [literal(None).label(name)
                    for name in ("contact_name", "contact_email", "contact_phone")]
    query = (select(*columns)
             .join(Category, Category.id == Report.category_id)
             .outerjoin(Party, Party.id == Report.assigned_party_id)
             .outerjoin(Zone, Zone.id == Report.assigned_zone_id))
    if with_contact:
        query = query.outerjoin(ReporterContact, ReporterContact.report_id == Report.id)
    return query.where(*conditions)


def export_batches(session: Session, query: Select[Any],
                   batch_size: int = BATCH_SIZE) -> Iterator[Sequence[Row[Any]]]:
    """The rows of export_query in order of creation, batch_size at a time."""
    after: tuple[datetime, int] | None = None
    while True:
        batch = query
        if after is not None:
            # The first condition lets the index start where the last batch ended.
            batch = batch.where(Report.created_at >= after[0],
                                tuple_(Report.created_at, Report.id) > tuple_(*after))
        # Through the session's connection: plain rows, without the ORM's loading. A batch
        # of tens of thousands is costed over PostgreSQL's JIT threshold, whose compiling
        # (half a second a query) never pays back on this plan of index lookups; the
        # setting ends with the transaction (the caller's progress commits it).
        connection = session.connection()
        connection.execute(text("SET LOCAL jit = off"))
        rows = connection.execute(
            batch.order_by(Report.created_at, Report.id).limit(batch_size)).all()
        if not rows:
            return
        full, after = len(rows) == batch_size, (rows[-1].created_at, rows[-1].id)
        yield rows
        del rows  # not held while the next batch is read
        if not full:
            return

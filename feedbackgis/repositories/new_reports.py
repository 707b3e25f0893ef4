"""Storing a new report and its first events in two statements, outside the ORM's flush.

A submission (a resident's form, the JSON API, an Open311 client) builds its Report and
ReportEvents as usual (services/reports/submission.py); this writes them. The ORM's unit
of work spent about 7 ms of Python time per report on a report and its two events, as long
as the rest of the request (bench/open311.py measures the POST); a Core INSERT of each
table takes 3 ms. Afterwards the report is in the session as if it had been loaded:
persistent, its columns as stored, its events not loaded (read on first access).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, insert
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.sql import bindparam
from sqlalchemy.types import Boolean

from feedbackgis.models import Report, ReportEvent

REPORT, EVENT = Report.__table__, ReportEvent.__table__
# What the database sets: returned, so that no attribute is left to load again.
STORED_BY_DATABASE = ("id", "created_at", "updated_at", "published_at")
# Built once, each value from the parameters given (the columns' Python defaults for the
# missing ones). published_at is the transaction's time, as created_at is, when the report
# is public at once.
INSERT_REPORT = (
    insert(REPORT)
    .values(published_at=case((bindparam("public_at_once", type_=Boolean), func.now()),
                              else_=None))
    .returning(*(REPORT.c[name] for name in STORED_BY_DATABASE))
)
INSERT_EVENTS = insert(EVENT)
EVENT_COLUMNS = tuple(column for column in EVENT.c if column.key not in ("id", "created_at"))


def insert_new_report(session: Session, report: Report, events: list[ReportEvent]) -> None:
    """INSERT the transient `report` and its `events` (not in report.events), in the
    session's transaction; the report becomes persistent in the session, with its id."""
    values = _column_values(report)
    public_at_once = values.pop("published_at", None) is not None
    connection = session.connection()  # Core statements: not the session's ORM execution path
    row = connection.execute(INSERT_REPORT, {**values, "public_at_once": public_at_once}).one()
    for name in STORED_BY_DATABASE:
        setattr(report, name, getattr(row, name))
    connection.execute(INSERT_EVENTS, [{**_event_values(event), "report_id": row.id}
                                        for event in events])
    # Its state as loaded: added to the session it is persistent, nothing pending.
    make_transient_to_detached(report)
    session.add(report)


def _column_values(report: Report) -> dict[str, Any]:
    """The columns the submission set on the report (the rest get their defaults)."""
    state = report.__dict__
    return {column.key: state[column.key] for column in REPORT.c
            if column.key in state and column.key not in ("id", "created_at", "updated_at")}


def _event_values(event: ReportEvent) -> dict[str, Any]:
    """Every column of the event (one executemany takes the same keys from each row): as set,
    else the column's default, as a flush would give it."""
    state = event.__dict__
    return {column.key: state[column.key] if column.key in state else _default(column)
            for column in EVENT_COLUMNS}


def _default(column: Any) -> Any:  # noqa: ANN401 - a column's default is any value
    default = column.default
    if default is None:
        return None
    # A callable default (dict) is wrapped by SQLAlchemy to take the execution context.
    return default.arg(None) if default.is_callable else default.arg

"""The figures' SQL: rollups recomputed from the reports, and read back by filter.

A month is a calendar month in the municipality's time zone (`tz`). The rollups are
recomputed a month at a time (DELETE then INSERT in the caller's transaction, so a reader
sees the old month or the new, never half of one). Handling times are counted in working
days inside PostgreSQL with calendar_day (domain/figures.py has the rule): the number of
the day the answer came on, minus the number of the working day the report counts from.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from feedbackgis.domain.figures import DAY_ENDS_AT, Device
from feedbackgis.models.figures import STATUS_COLUMNS

_LOCAL_MONTH = "date_trunc('month', r.created_at AT TIME ZONE :tz)::date"
_KEYS = ("r.category_id, coalesce(r.assigned_party_id, 0), coalesce(r.assigned_zone_id, 0)")

_STATUS_NAMES = ", ".join(STATUS_COLUMNS.values())
_STATUS_COUNTS = ", ".join(f"count(*) FILTER (WHERE r.status = '{status.value}')"
                           for status in STATUS_COLUMNS)

_COUNT_MONTHS = f"""
INSERT INTO figure_month (month, category_id, party_id, zone_id, reports, from_phone,
    sent_offline, with_contact, in_finnish, in_swedish, in_english, ever_fixed, reopened,
    fixed_with_due_date, fixed_on_time, {_STATUS_NAMES})
SELECT {_LOCAL_MONTH}, {_KEYS}, count(*),
       count(*) FILTER (WHERE r.submitted_from = '{Device.PHONE.value}'),
       count(*) FILTER (WHERE r.sent_offline),
       count(*) FILTER (WHERE r.with_contact),
       count(*) FILTER (WHERE r.language = 'fi'),
       count(*) FILTER (WHERE r.language = 'sv'),
       count(*) FILTER (WHERE r.language = 'en'),
       count(*) FILTER (WHERE r.fixed_at IS NOT NULL OR r.reopen_count > 0),
       count(*) FILTER (WHERE r.reopen_count > 0),
       count(*) FILTER (WHERE r.fixed_at IS NOT NULL AND r.due_at IS NOT NULL),
       count(*) FILTER (WHERE r.fixed_at <= r.due_at),
       {_STATUS_COUNTS}
FROM report AS r
WHERE {{where}}
GROUP BY 1, 2, 3, 4
"""  # noqa: S608 - built from constants; values are bound parameters

# The working day a report counts from: the day it came if it came on a working day before
# the day's end, else the next working day (whose number is one more).
_DURATIONS = f"""
INSERT INTO figure_duration (month, category_id, party_id, zone_id, measure, working_days,
                             reports)
SELECT month, category_id, party_id, zone_id, measure, working_days, count(*)
FROM (
    SELECT {_LOCAL_MONTH} AS month, r.category_id,
           coalesce(r.assigned_party_id, 0) AS party_id,
           coalesce(r.assigned_zone_id, 0) AS zone_id, answer.measure,
           greatest(0, ended.working_day_number
                       - (began.working_day_number
                          + CASE WHEN began.is_working_day
                                      AND (r.created_at AT TIME ZONE :tz)::time < :day_ends
                                 THEN 0 ELSE 1 END)) AS working_days
    FROM report AS r
    CROSS JOIN LATERAL (VALUES ('response', r.first_response_at), ('fixed', r.fixed_at))
        AS answer(measure, at)
    JOIN calendar_day AS began ON began.day = (r.created_at AT TIME ZONE :tz)::date
    JOIN calendar_day AS ended ON ended.day = (answer.at AT TIME ZONE :tz)::date
    WHERE answer.at IS NOT NULL AND {{where}}
) AS each_report
GROUP BY 1, 2, 3, 4, 5, 6
"""  # noqa: S608 - built from constants; values are bound parameters

_IN_RANGE = "r.created_at >= :begins AND r.created_at < :ends"


def recount_month(session: Session, begins: datetime, ends: datetime, month: date,
                  tz: str) -> None:
    """Replace the rollups of the month starting at `month` (created from `begins` up to
    `ends`, its bounds as aware datetimes)."""
    for table in ("figure_month", "figure_duration"):
        session.execute(text(f"DELETE FROM {table} WHERE month = :month"),  # noqa: S608
                        {"month": month})
    params = {"begins": begins, "ends": ends, "tz": tz, "day_ends": DAY_ENDS_AT}
    session.execute(text(_COUNT_MONTHS.format(where=_IN_RANGE)), params)
    session.execute(text(_DURATIONS.format(where=_IN_RANGE)), params)


def recount_everything(session: Session, tz: str) -> None:
    """Replace every rollup (nightly: deleted reports leave no changed month to find)."""
    session.execute(text("DELETE FROM figure_month"))
    session.execute(text("DELETE FROM figure_duration"))
    session.execute(text("SET LOCAL work_mem = '64MB'"))
    params = {"tz": tz, "day_ends": DAY_ENDS_AT}
    session.execute(text(_COUNT_MONTHS.format(where="true")), params)
    session.execute(text(_DURATIONS.format(where="true")), params)


def ensure_state_row(session: Session) -> None:
    """The one row of figure_refresh, made if missing; two callers at once make one."""
    session.execute(text("INSERT INTO figure_refresh (id) VALUES (1) ON CONFLICT (id) DO NOTHING"))


def months_changed_since(session: Session, since: datetime, tz: str) -> list[date]:
    """The months (local) of the reports changed since `since` (index on updated_at)."""
    rows = session.execute(text(
        f"SELECT DISTINCT {_LOCAL_MONTH} FROM report AS r WHERE r.updated_at >= :since"  # noqa: S608
    ), {"since": since, "tz": tz})
    return sorted(row[0] for row in rows)


# --- reading ------------------------------------------------------------------------------

# The dimensions a dashboard breaks its figures down by; "all" is the grand total.
DIMENSIONS = ("category", "party", "zone", "month")
_COLUMN_OF = {"category": "category_id", "party": "party_id", "zone": "zone_id",
              "month": "month"}
COUNT_COLUMNS = ("reports", "from_phone", "sent_offline", "with_contact", "in_finnish",
                 "in_swedish", "in_english", "ever_fixed", "reopened", "fixed_with_due_date",
                 "fixed_on_time", *STATUS_COLUMNS.values())


@dataclass(frozen=True)
class RollupFilter:
    """Which rollup rows a read adds up: months first..last, and optional ids."""

    first_month: date
    last_month: date
    category_id: int | None = None
    party_id: int | None = None  # 0: the reports of no party
    zone_id: int | None = None

    def where(self) -> tuple[str, dict[str, object]]:
        clauses = ["month BETWEEN :first_month AND :last_month"]
        params: dict[str, object] = {"first_month": self.first_month,
                                     "last_month": self.last_month}
        for name in ("category_id", "party_id", "zone_id"):
            value = getattr(self, name)
            if value is not None:
                clauses.append(f"{name} = :{name}")
                params[name] = value
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class CountRow:
    dimension: str  # one of DIMENSIONS, or "all"
    key: object  # an id or a month; None for "all"
    counts: dict[str, int]


def _grouping(dimensions: Sequence[str], within: str = "") -> tuple[str, str]:
    """GROUPING SETS over the dimensions and the total, each set also by the columns of
    `within` (such as "measure, working_days"), and the column naming each row's set."""
    columns = [_COLUMN_OF[d] for d in dimensions]
    sets = ", ".join(f"({', '.join(filter(None, (c, within)))})" for c in columns)
    sets += f", ({within})"
    which = "CASE " + " ".join(
        f"WHEN GROUPING({c}) = 0 THEN '{d}'" for d, c in zip(dimensions, columns, strict=True)
    ) + " ELSE 'all' END"
    return sets, which


def _read_grouped(session: Session, table: str, sums: str, rollup: RollupFilter,
                  within: str = "") -> Iterator[tuple[str, object, tuple[Any, ...]]]:
    """The rows of `table` the filter keeps, summed (`sums`) by each of DIMENSIONS and in
    all, each also by `within`'s columns. Yields (dimension or "all", its key or None,
    the values of `within` then of `sums`)."""
    sets, which = _grouping(DIMENSIONS, within)
    where, params = rollup.where()
    keys = ", ".join(_COLUMN_OF[d] for d in DIMENSIONS)
    selected = ", ".join(filter(None, (which, keys, within, sums)))
    rows = session.execute(text(
        f"SELECT {selected} FROM {table} WHERE {where} "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets})"), params)
    for row in rows:
        dimension = row[0]
        key = None if dimension == "all" else row[1 + DIMENSIONS.index(dimension)]
        yield dimension, key, tuple(row[1 + len(DIMENSIONS):])


def read_counts(session: Session, rollup: RollupFilter) -> list[CountRow]:
    """Each count summed by category, party, zone and month, and in all."""
    sums = ", ".join(f"coalesce(sum({c}), 0)::int" for c in COUNT_COLUMNS)
    return [CountRow(dimension, key, dict(zip(COUNT_COLUMNS, rest, strict=True)))
            for dimension, key, rest in _read_grouped(session, "figure_month", sums, rollup)]


@dataclass(frozen=True)
class DurationRow:
    dimension: str
    key: object
    measure: str
    working_days: int
    reports: int


def read_durations(session: Session, rollup: RollupFilter) -> list[DurationRow]:
    """The histograms of the handling times, by the same dimensions and in all."""
    rows = _read_grouped(session, "figure_duration", "sum(reports)::int", rollup,
                         within="measure, working_days")
    return [DurationRow(dimension, key, *rest) for dimension, key, rest in rows]

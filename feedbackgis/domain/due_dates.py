"""Due dates in working days, in the municipality's calendar.

A working day is Monday to Friday, not a Finnish public holiday (python-holidays' Finland)
and not one of the de facto days off below. A handling time of N working days makes the
report due at the end of the Nth working day after the day it was assigned, at
END_OF_WORKING_DAY local time; the result is an aware UTC datetime.

Which day a report was assigned on: the local date when that is a working day and the
assignment came before END_OF_WORKING_DAY; otherwise (a weekend, a holiday, the evening) the
next working day, as if it had arrived that morning. So 0 working days means "by the end of
the working day it arrived on", and a report sent on Saturday with 1 day is due on Tuesday.

Everything is computed on local calendar dates and the local wall clock is attached only at
the end, through zoneinfo: a DST change between assignment and due date moves nothing, and
END_OF_WORKING_DAY (16:00) never falls in a DST gap or fold (those are at 03:00-04:00).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

DEFAULT_TIME_ZONE = "Europe/Helsinki"
# Municipal office hours end at 16:00 (KVTES offices: 8-16). A work order due "in N days"
# gives the party the whole of its Nth working day; the hourly check at :15 then sees it.
END_OF_WORKING_DAY = time(16, 0)
SATURDAY = 5
# The longest handling time accepted (a smallint in the database; a year is already absurd).
MAX_WORKING_DAYS = 365


def _de_facto_days_off(year: int) -> dict[date, str]:
    """Days that are not public holidays by law but on which municipal offices are closed
    (KVTES, the municipal collective agreement, gives them off): Christmas Eve and Midsummer
    Eve, the Friday between 19 and 25 June. python-holidays (0.109) lists both among
    Finland's public holidays already; they are added here too so that the rule does not
    depend on the library's version. Easter Saturday is a Saturday anyway."""
    midsummer_eve = next(date(year, 6, day) for day in range(19, 26)
                         if date(year, 6, day).weekday() == 4)
    return {date(year, 12, 24): "Christmas Eve", midsummer_eve: "Midsummer Eve"}


@cache
def _days_off(year: int) -> frozenset[date]:
    public = holidays.Finland(years=year)  # the "public" category: days off by law
    return frozenset(public) | frozenset(_de_facto_days_off(year))


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in _days_off(day.year)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _working_day_of(local: datetime) -> date:
    """The working day whose work `local` (a local wall-clock time) belongs to."""
    day = local.date()
    if is_working_day(day) and local.time() < END_OF_WORKING_DAY:
        return day
    return next_working_day(day)


def end_of_working_day(day: date, time_zone: str) -> datetime:
    """END_OF_WORKING_DAY of `day` in `time_zone`, as aware UTC."""
    local = datetime.combine(day, END_OF_WORKING_DAY, tzinfo=ZoneInfo(time_zone))
    return local.astimezone(UTC)


def _checked_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got a naive one")


def due_at(assigned_at: datetime, working_days: int, time_zone: str) -> datetime:
    """The end of the `working_days`th working day after the day of assignment, in UTC."""
    _checked_aware(assigned_at, "assigned_at")
    if not 0 <= working_days <= MAX_WORKING_DAYS:
        raise ValueError(f"working_days must be 0-{MAX_WORKING_DAYS}, got {working_days}")
    day = _working_day_of(assigned_at.astimezone(ZoneInfo(time_zone)))
    for _ in range(working_days):
        day = next_working_day(day)
    return end_of_working_day(day, time_zone)


def _working_day_ends_back_from(now: datetime, time_zone: str) -> Iterator[datetime]:
    """The ends of working days at or before `now`, the latest first."""
    local = now.astimezone(ZoneInfo(time_zone))
    day = local.date()
    if local.time() < END_OF_WORKING_DAY:
        day -= timedelta(days=1)
    while True:
        if is_working_day(day):
            yield end_of_working_day(day, time_zone)
        day -= timedelta(days=1)


def late_since(now: datetime, working_days: int, time_zone: str) -> datetime:
    """The moment M such that a report due before M has been late for `working_days` whole
    working days by `now` (that many working days have ended since it was due): the end of
    the `working_days`th latest working day ended by `now`; `now` itself for 0.

    One value for the whole check, so "late by N working days" is a plain `due_at < M`
    in SQL, not a calendar walk per report.
    """
    _checked_aware(now, "now")
    if working_days <= 0:
        return now.astimezone(UTC)
    ends = _working_day_ends_back_from(now, time_zone)
    for _ in range(working_days - 1):
        next(ends)
    return next(ends)


def working_days_late(due: datetime, now: datetime, time_zone: str) -> int:
    """How many working days have ended since `due` (0 before it, and on its own day)."""
    _checked_aware(due, "due")
    _checked_aware(now, "now")
    count = 0
    if now <= due:
        return count
    for end in _working_day_ends_back_from(now, time_zone):
        if end <= due:
            break
        count += 1
    return count


def is_overdue(due_at: datetime | None, now: datetime, status_is_open: bool) -> bool:
    """Past its due date and not yet dealt with (a fixed or closed report is never late).
    `status_is_open`: the report's status is in domain/statuses.OPEN_STATUSES."""
    return status_is_open and due_at is not None and now > due_at

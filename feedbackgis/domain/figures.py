"""Rules of the managers' figures, pure: the working-day calendar, percentiles from
histograms, which device a report came from.

Handling times are counted in working days the way due dates are (domain/due_dates.py): a
report that arrives in the evening, at a weekend or on a holiday counts from the next
working day, and one answered on the working day it counts from took 0 days. The
calendar numbers the working days; a duration is the number of the day it ended on minus
the number of the day it counts from (never below 0). Whole days make the histograms of
the rollups exact, so a median read from one equals the median of the reports themselves.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from feedbackgis.domain.due_dates import END_OF_WORKING_DAY, is_working_day

# The calendar's span: every report and every answer falls inside it.
CALENDAR_FIRST_DAY = date(2000, 1, 1)
CALENDAR_LAST_DAY = date(2099, 12, 31)


class Measure(StrEnum):
    RESPONSE = "response"  # time to the first response
    FIXED = "fixed"  # time to fixed


class Device(StrEnum):
    PHONE = "phone"
    COMPUTER = "computer"  # a browser on a computer or a tablet
    SYSTEM = "system"  # another system's client, or a browser we cannot tell


# Who a first response cannot come from: the resident's own acts and the automatic ones
# (routing, automatic answers made at routing, escalation). The trigger of migration 0010
# writes the same list into SQL.
NOT_RESPONDERS = ("system", "resident", "reporter", "follower")
# The moment a working day's work ends: what comes later counts from the next one.
DAY_ENDS_AT = END_OF_WORKING_DAY


@dataclass(frozen=True)
class CalendarRow:
    day: date
    working_day_number: int
    is_working_day: bool


def calendar_rows(first: date = CALENDAR_FIRST_DAY,
                  last: date = CALENDAR_LAST_DAY) -> Iterator[CalendarRow]:
    """Every day from first to last, numbered by the working days up to and including it:
    a day off has the number of the working day before it."""
    number = 0
    day = first
    while day <= last:
        working = is_working_day(day)
        number += working
        yield CalendarRow(day, number, working)
        day += timedelta(days=1)


def percentile(histogram: Mapping[int, int], fraction: float) -> float | None:
    """The `fraction` percentile (0.5: the median) of values given as {value: how many},
    interpolated between neighbours as PostgreSQL's percentile_cont and numpy's default
    do; None when there are no values."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"a fraction between 0 and 1, not {fraction}")
    total = sum(count for count in histogram.values() if count > 0)
    if total == 0:
        return None
    rank = (total - 1) * fraction
    below, above = _value_at(histogram, math.floor(rank)), _value_at(histogram, math.ceil(rank))
    return below + (above - below) * (rank - math.floor(rank))


def _value_at(histogram: Mapping[int, int], index: int) -> int:
    """The value at 0-based `index` of the sorted values the histogram stands for."""
    seen = 0
    for value in sorted(histogram):
        seen += max(histogram[value], 0)
        if index < seen:
            return value
    raise IndexError(index)


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to share (never a division by zero)."""
    return part / whole if whole else None


# The User-Agent tokens of phones: "Mobi" is what every phone browser sends and no tablet
# does (MDN's advice); the others are older phones and Android apps' web views.
_PHONE = re.compile(r"Mobi|iPhone|Android.*Mobile|Windows Phone|Opera Mini", re.IGNORECASE)
_BROWSER = re.compile(r"Mozilla/|Opera/", re.IGNORECASE)


def device_of(user_agent: str | None) -> Device:
    """Which kind of device sent a report, by its User-Agent header."""
    if not user_agent or not _BROWSER.search(user_agent):
        return Device.SYSTEM
    return Device.PHONE if _PHONE.search(user_agent) else Device.COMPUTER

"""Calendar months in the municipality's time zone, as the figures count them (pure)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(month: date, time_zone: str) -> tuple[datetime, datetime]:
    """The aware UTC instants the local month begins at and the next one begins at."""
    zone = ZoneInfo(time_zone)
    begins = datetime(month.year, month.month, 1, tzinfo=zone)
    following = next_month(month)
    ends = datetime(following.year, following.month, 1, tzinfo=zone)
    return begins.astimezone(UTC), ends.astimezone(UTC)


def current_month(now: datetime, time_zone: str) -> date:
    return month_start(now.astimezone(ZoneInfo(time_zone)).date())


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months

"""What the public map and its list show, and how their filters read.

A report is on the public map when it is published (is_public), has a point and did not end
without a fix (not ours, duplicate, rejected, withdrawn: domain/statuses.py). Its state is
open or fixed (fixed, closed). The age filter counts back from now: days=7 is every report
created in the last 7 * 24 hours.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from feedbackgis.domain.statuses import CLOSED_STATUSES

HIDDEN_STATUSES = CLOSED_STATUSES
MAX_DAYS = 36_500  # a hundred years: anything longer is "all", and a timedelta must not overflow
MAX_CATEGORY_CODES = 50


class ReportState(enum.StrEnum):
    OPEN = "open"
    FIXED = "fixed"
    ALL = "all"

    @property
    def fixed_values(self) -> tuple[bool, ...]:
        """The values of "is fixed" this state takes in."""
        return {ReportState.OPEN: (False,), ReportState.FIXED: (True,),
                ReportState.ALL: (False, True)}[self]


@dataclass(frozen=True)
class MapFilters:
    category_ids: tuple[int, ...] = ()  # empty: every category
    state: ReportState = ReportState.ALL
    since: datetime | None = None  # reports created at or after it; None: of any age


def since_days_ago(days: int | None, now: datetime) -> datetime | None:
    return None if days is None else now - timedelta(days=days)


@dataclass(frozen=True)
class AgeSplit:
    """"Created at or after `since`", split along the calendar periods (UTC) that the map's
    cells keep counts for: whole years after since's year, whole months after since's month
    within that year, and the rest of since's own month, counted from the reports."""

    years: tuple[int, ...]
    year_of_months: int
    months: tuple[int, ...]
    reports_from: datetime
    reports_until: datetime


def split_age(since: datetime, now: datetime) -> AgeSplit:
    start = since.astimezone(UTC)
    next_month = (datetime(start.year + 1, 1, 1, tzinfo=UTC) if start.month == 12
                  else datetime(start.year, start.month + 1, 1, tzinfo=UTC))
    # One year past now: a report stamped a little in the future (a clock ahead) still counts.
    last_year = now.astimezone(UTC).year + 1
    return AgeSplit(
        years=tuple(range(start.year + 1, last_year + 1)),
        year_of_months=start.year,
        months=tuple(range(start.month + 1, 13)),
        reports_from=since,
        reports_until=next_month,
    )

"""The managers' figures: a working-day calendar and monthly rollups of the reports.

The dashboard and the open data read these, not the reports: a year of a big city is
hundreds of thousands of reports, and its figures must come back in well under a second.

- `calendar_day` numbers the working days (Finnish public holidays and the de facto days
  off of domain/due_dates.py): a handling time in working days is the difference of two
  numbers, computed inside PostgreSQL.
- `figure_month` counts the reports created in one month (the municipality's time zone) per
  category, party and zone, and how many of them are in each status now; `figure_duration`
  holds, for the same keys, how many reports took each whole number of working days to a
  first response and to fixed. Whole days make the histogram exact: medians and
  percentiles come out as if computed from every report (domain/figures.py).
- `figure_refresh` remembers when they were last brought up to date (and when the hot
  spots were last computed). They are derived:
  services/analytics/refresh.py recomputes whole months, those with changed reports every
  few minutes and all of them nightly (deleted reports leave no trace to follow).

Party 0 and zone 0 stand for "none" (a report in triage): a key column must not be NULL.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models.base import Base

NO_PARTY = 0
NO_ZONE = 0


class CalendarDay(Base):
    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    # Working days from the start of the calendar up to and including this day.
    working_day_number: Mapped[int] = mapped_column(Integer)
    is_working_day: Mapped[bool] = mapped_column(Boolean)


class FigureMonth(Base):
    """One month's reports of one category, party and zone. Their current statuses are
    columns, not a key: a key would multiply the rows a dashboard adds up by the statuses."""

    __tablename__ = "figure_month"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zone_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reports: Mapped[int] = mapped_column(Integer)
    from_phone: Mapped[int] = mapped_column(Integer)
    sent_offline: Mapped[int] = mapped_column(Integer)
    with_contact: Mapped[int] = mapped_column(Integer)
    in_finnish: Mapped[int] = mapped_column(Integer)
    in_swedish: Mapped[int] = mapped_column(Integer)
    in_english: Mapped[int] = mapped_column(Integer)
    # Reports ever fixed (fixed now, or reopened since), and those reopened at least once.
    ever_fixed: Mapped[int] = mapped_column(Integer)
    reopened: Mapped[int] = mapped_column(Integer)
    # Reports fixed that had a due date, and those of them fixed by it.
    fixed_with_due_date: Mapped[int] = mapped_column(Integer)
    fixed_on_time: Mapped[int] = mapped_column(Integer)
    # How many are in each status now (STATUS_COLUMNS names them).
    status_received: Mapped[int] = mapped_column(Integer)
    status_triage: Mapped[int] = mapped_column(Integer)
    status_assigned: Mapped[int] = mapped_column(Integer)
    status_in_progress: Mapped[int] = mapped_column(Integer)
    status_waiting: Mapped[int] = mapped_column(Integer)
    status_fixed: Mapped[int] = mapped_column(Integer)
    status_closed: Mapped[int] = mapped_column(Integer)
    status_not_ours: Mapped[int] = mapped_column(Integer)
    status_duplicate: Mapped[int] = mapped_column(Integer)
    status_rejected: Mapped[int] = mapped_column(Integer)
    status_withdrawn: Mapped[int] = mapped_column(Integer)


# The column of each status (a test checks that every ReportStatus has one).
STATUS_COLUMNS = {status: f"status_{status.value}" for status in ReportStatus}


class FigureDuration(Base):
    __tablename__ = "figure_duration"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zone_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "response" (time to first response) or "fixed" (time to fixed).
    measure: Mapped[str] = mapped_column(String(10), primary_key=True)
    working_days: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    reports: Mapped[int] = mapped_column(Integer)


class FigureRefresh(Base):
    """One row: when the rollups were last brought up to date, and how."""

    __tablename__ = "figure_refresh"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # always 1
    # The start of the last refresh of changed months; the next one looks back from here.
    changed_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refreshed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    full_refresh_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the hot spots were last computed (a run may find none: this still says it ran).
    hot_spots_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

"""The public open data (/stats): how reports were handled in a period, by category and by
responsible party (the municipality's units and its contractors), and in all.

Read from the managers' dashboard (dashboard_figures over every party), so the open data,
the dashboard and its downloads always agree. Only aggregates leave here: counts, shares
and working-day percentiles, and the names of categories and parties. No report id, text,
address, place, contact or staff member is read at all.

The field names (FIGURE_FIELDS and the row keys) are the published schema, version
SCHEMA_VERSION (static/open-data/stats.schema.json): renaming or removing one is a new
version; adding one is not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.months import current_month
from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.models import Category, Party
from feedbackgis.models.figures import NO_PARTY
from feedbackgis.services.analytics.dashboard import FigureFilters, FigureLine, dashboard_figures

SCHEMA_VERSION = "1"
LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
# The kind of the row of the reports no unit or contractor was given: those waiting in
# triage, and those that ended there (rejected, withdrawn, not the municipality's ...).
UNASSIGNED = "unassigned"
EVERY_PARTY = StatisticsScope(party_id=None)

# Each figure of a row, in the order of the CSV columns.
FIGURE_FIELDS = (
    "reports", "responded", "fixed", "duplicates", "reopened", "fixed_with_due_date",
    "fixed_on_time", "fixed_on_time_share", "response_median_working_days",
    "response_p90_working_days", "fixed_median_working_days", "fixed_p90_working_days",
)
CATEGORY_FIELDS = ("category_id", "category_code", "category_name_fi", "category_name_sv",
                   "category_name_en")
PARTY_FIELDS = ("party_id", "party_name", "party_kind")
# Handling times come from whole working days (a median or a percentile between two of
# them is interpolated, so one decimal at most); the rounding only drops float noise.
DAYS_DECIMALS = 2
SHARE_DECIMALS = 4

# The rules in words, for the JSON (English, as its field names); the page says the same
# in its own language.
RULES = {
    "period": "Reports are counted in the month they were received, in the municipality's "
              "time zone; the figures of a report follow it as it is handled later.",
    "working_days": "Handling times are in working days: Monday to Friday except Finnish "
                    "public holidays, Christmas Eve and Midsummer Eve. A report received "
                    "after 16:00 local time, at a weekend or on a holiday counts from the "
                    "next working day; an answer on the day it counts from took 0 days.",
    "first_response": "The first public reply or status change by a person of a unit or a "
                      "contractor; the service's own automatic acts and the resident's do "
                      "not count.",
    "fixed": "The report's latest status change left it fixed or closed; the time is to "
             "when it last became fixed or closed. A report reopened later no longer "
             "counts as fixed.",
    "fixed_on_time": "Fixed no later than the report's due date, counted among the fixed "
                     "reports that have a due date.",
    "duplicates": "Reports marked as already reported: a duplicate of another report of "
                  "the same problem.",
    "reopened": "Reports reopened at least once after being fixed.",
}


@dataclass(frozen=True)
class OpenDataPeriod:
    first_month: date
    last_month: date
    includes_current_month: bool  # its figures still grow


@dataclass(frozen=True)
class OpenData:
    period: OpenDataPeriod
    time_zone: str
    refreshed_at: datetime | None
    total: dict[str, object]
    categories: list[dict[str, object]]  # CATEGORY_FIELDS + FIGURE_FIELDS each
    parties: list[dict[str, object]]  # PARTY_FIELDS + FIGURE_FIELDS each


def figures_of(line: FigureLine) -> dict[str, object]:
    """One line's figures under their published names."""
    counts = line.counts
    return {
        "reports": counts["reports"],
        "responded": line.response.reports,
        "fixed": line.fixed.reports,
        "duplicates": line.duplicates,
        "reopened": counts["reopened"],
        "fixed_with_due_date": counts["fixed_with_due_date"],
        "fixed_on_time": counts["fixed_on_time"],
        "fixed_on_time_share": _rounded(line.on_time_share, SHARE_DECIMALS),
        "response_median_working_days": _rounded(line.response.median, DAYS_DECIMALS),
        "response_p90_working_days": _rounded(line.response.p90, DAYS_DECIMALS),
        "fixed_median_working_days": _rounded(line.fixed.median, DAYS_DECIMALS),
        "fixed_p90_working_days": _rounded(line.fixed.p90, DAYS_DECIMALS),
    }


def _rounded(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)


def open_data_figures(session: Session, filters: FigureFilters, time_zone: str,
                      now: datetime | None = None) -> OpenData:
    """The figures of the period of `filters` (its other filters are not open data's:
    every category and party is counted)."""
    period = FigureFilters(first_month=filters.first_month, last_month=filters.last_month)
    dashboard = dashboard_figures(session, period, EVERY_PARTY, "en")
    month = current_month(now or datetime.now(UTC), time_zone)
    return OpenData(
        period=OpenDataPeriod(period.first_month, period.last_month,
                              period.first_month <= month <= period.last_month),
        time_zone=time_zone, refreshed_at=dashboard.refreshed_at,
        total=figures_of(dashboard.total),
        categories=_category_rows(session, dashboard.by_category),
        parties=_party_rows(session, dashboard.by_party))


def _category_rows(session: Session, lines: list[FigureLine]) -> list[dict[str, object]]:
    ids = [line.key for line in lines]
    categories = {c.id: c for c in session.scalars(select(Category).where(Category.id.in_(ids)))}
    rows = []
    for line in lines:
        category = categories[line.key]
        rows.append({"category_id": category.id, "category_code": category.code,
                     "category_name_fi": category.name_fi, "category_name_sv": category.name_sv,
                     "category_name_en": category.name_en, **figures_of(line)})
    return sorted(rows, key=lambda row: (-row["reports"], row["category_code"]))


def _party_rows(session: Session, lines: list[FigureLine]) -> list[dict[str, object]]:
    ids = [line.key for line in lines if line.key != NO_PARTY]
    # Only the name and the kind: a party's addresses and webhooks are not open data.
    parties = {row.id: row for row in session.execute(
        select(Party.id, Party.name, Party.kind).where(Party.id.in_(ids)))}
    rows = []
    for line in lines:
        party = parties.get(line.key)
        named = ({"party_id": party.id, "party_name": party.name,
                  "party_kind": party.kind.value} if party is not None else
                 {"party_id": None, "party_name": None, "party_kind": UNASSIGNED})
        rows.append({**named, **figures_of(line)})
    # The row of no party last; the others by their reports, then by name.
    return sorted(rows, key=lambda row: (row["party_id"] is None, -row["reports"],
                                         row["party_name"] or ""))

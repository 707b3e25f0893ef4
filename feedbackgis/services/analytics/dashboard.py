"""The managers' dashboard: the figures of a period, broken down, from the rollups.

Two small queries (the counts, the histograms of handling times) whatever the period and
filters; names of categories, parties and zones are read for the rows there are. The
shares and percentiles are computed here (domain/figures.py), so the tables, the charts
and the CSV downloads all show the same numbers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.figures import Measure, percentile, share
from feedbackgis.domain.months import add_months, months_between
from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import InvalidInput
from feedbackgis.models import Category, Party, Zone
from feedbackgis.models.figures import NO_PARTY, STATUS_COLUMNS
from feedbackgis.repositories.figures import (
    COUNT_COLUMNS,
    DIMENSIONS,
    RollupFilter,
    read_counts,
    read_durations,
)
from feedbackgis.services.analytics.refresh import figures_refreshed_at

# The longest period one view adds up (the rollups are small; this bounds the month axis).
MAX_MONTHS = 120


@dataclass(frozen=True)
class FigureFilters:
    """What a manager chose: months first..last (whole local months) and optional ids."""

    first_month: date
    last_month: date
    category_id: int | None = None
    party_id: int | None = None  # 0: reports of no party (in triage)
    zone_id: int | None = None

    def __post_init__(self) -> None:
        if self.first_month.day != 1 or self.last_month.day != 1:
            raise InvalidInput("A period is given in whole months.", field="from")
        if self.last_month < self.first_month:
            raise InvalidInput("The period ends before it begins.", field="to")
        if len(months_between(self.first_month, self.last_month)) > MAX_MONTHS:
            raise InvalidInput(f"A period is at most {MAX_MONTHS} months.", field="from")

    @classmethod
    def last_twelve_months(cls, this_month: date) -> FigureFilters:
        return cls(first_month=add_months(this_month, -11), last_month=this_month)

    def within(self, scope: StatisticsScope) -> FigureFilters:
        """These filters as the scope allows: a party's own staff see only their party."""
        if scope.party_id is None:
            return self
        return replace(self, party_id=scope.party_id)

    def rollup(self) -> RollupFilter:
        return RollupFilter(self.first_month, self.last_month, self.category_id,
                            self.party_id, self.zone_id)


@dataclass(frozen=True)
class Durations:
    """Handling times in working days of the reports that got there."""

    reports: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, histogram: dict[int, int]) -> Durations:
        return cls(reports=sum(histogram.values()), median=percentile(histogram, 0.5),
                   p90=percentile(histogram, 0.9))


NO_DURATIONS = Durations(0, None, None)


@dataclass(frozen=True)
class FigureLine:
    """The figures of one category, party, zone or month (or of them all)."""

    key: object
    label: str
    counts: dict[str, int]
    response: Durations = NO_DURATIONS
    fixed: Durations = NO_DURATIONS

    def __getattr__(self, name: str) -> int:
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    @property
    def on_time_share(self) -> float | None:
        return share(self.counts["fixed_on_time"], self.counts["fixed_with_due_date"])

    @property
    def reopen_rate(self) -> float | None:
        return share(self.counts["reopened"], self.counts["ever_fixed"])

    @property
    def duplicates(self) -> int:
        return self.counts[STATUS_COLUMNS[ReportStatus.DUPLICATE]]

    @property
    def duplicate_rate(self) -> float | None:
        return share(self.duplicates, self.counts["reports"])

    @property
    def by_status(self) -> dict[str, int]:
        """How many of these reports are in each status now (statuses without any left out)."""
        return {status.value: self.counts[column] for status, column in STATUS_COLUMNS.items()
                if self.counts[column]}

    @property
    def phone_share(self) -> float | None:
        return share(self.counts["from_phone"], self.counts["reports"])

    @property
    def offline_share(self) -> float | None:
        return share(self.counts["sent_offline"], self.counts["reports"])

    @property
    def contact_share(self) -> float | None:
        return share(self.counts["with_contact"], self.counts["reports"])


EMPTY_COUNTS = dict.fromkeys(COUNT_COLUMNS, 0)


@dataclass(frozen=True)
class Dashboard:
    filters: FigureFilters
    total: FigureLine
    by_category: list[FigureLine]
    by_party: list[FigureLine]
    by_zone: list[FigureLine]
    by_month: list[FigureLine]  # every month of the period, those without reports too
    by_status: dict[str, int]
    refreshed_at: datetime | None
    labels: dict[str, dict[object, str]] = field(default_factory=dict)


def dashboard_figures(session: Session, filters: FigureFilters, scope: StatisticsScope,
                      language: str) -> Dashboard:
    filters = filters.within(scope)
    rollup = filters.rollup()
    counts: dict[str, dict[object, dict[str, int]]] = defaultdict(dict)
    for row in read_counts(session, rollup):
        counts[row.dimension][row.key] = row.counts
    histograms: dict[tuple[str, object, str], dict[int, int]] = defaultdict(dict)
    for row in read_durations(session, rollup):
        histograms[row.dimension, row.key, row.measure][row.working_days] = row.reports
    months = months_between(filters.first_month, filters.last_month)
    labels = _labels(session, counts, language)
    # Every month of the period is shown, those without reports too: each needs its label.
    labels["month"] = {month: month.isoformat()[:7] for month in months}

    def line(dimension: str, key: object) -> FigureLine:
        return FigureLine(
            key=key, label=labels.get(dimension, {}).get(key, str(key)),
            counts=counts[dimension].get(key, EMPTY_COUNTS),
            response=Durations.of(histograms.get((dimension, key, Measure.RESPONSE), {})),
            fixed=Durations.of(histograms.get((dimension, key, Measure.FIXED), {})))

    def lines(dimension: str) -> list[FigureLine]:
        found = [line(dimension, key) for key in counts[dimension]]
        return sorted(found, key=lambda each: (-each.counts["reports"], each.label))

    total = line("all", None)
    return Dashboard(
        filters=filters, total=total,
        by_category=lines("category"), by_party=lines("party"), by_zone=lines("zone"),
        by_month=[line("month", month) for month in months],
        by_status=dict(sorted(total.by_status.items(), key=lambda item: -item[1])),
        refreshed_at=figures_refreshed_at(session), labels=labels)


def _labels(session: Session, counts: dict[str, dict[object, dict[str, int]]],
            language: str) -> dict[str, dict[object, str]]:
    """Names for the ids in the rows: the category in the user's language, the party and
    the zone as named; id 0 is the reports of no party or zone (labelled by the page)."""
    labels: dict[str, dict[object, str]] = {"category": {}, "party": {}, "zone": {}}
    ids = {dimension: [key for key in counts[dimension] if key] for dimension in labels}
    if ids["category"]:
        for category in session.scalars(select(Category).where(Category.id.in_(ids["category"]))):
            labels["category"][category.id] = category.name(language)
    for dimension, model in (("party", Party), ("zone", Zone)):
        if ids[dimension]:
            for row in session.execute(select(model.id, model.name)
                                       .where(model.id.in_(ids[dimension]))):
                labels[dimension][row.id] = row.name
    return labels


__all__ = ["DIMENSIONS", "NO_PARTY", "Dashboard", "FigureFilters", "FigureLine",
           "dashboard_figures"]

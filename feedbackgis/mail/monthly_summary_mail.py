"""The monthly summary email: a month's key figures beside the month before's, the top
categories and a static map (an inline PNG, referred to by its Content-ID), in the
recipient's language; numbers and months written the language's way (Babel), as the
dashboard writes them (web/figures/figure_format.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import (
    format_decimal,
    format_percent,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)

from feedbackgis.i18n import N_
from feedbackgis.mail.message import InlineImage, OutgoingEmail
from feedbackgis.mail.render import render_email
from feedbackgis.mail.translation import mail_texts

MONTHLY_SUMMARY = "monthly_summary"
NO_VALUE = "–"


@dataclass(frozen=True)
class KeyFigures:
    """One month's figures (of one party, or of all); None: nothing to compute from."""

    reports: int
    fixed: int
    response_median: float | None
    response_p90: float | None
    fixed_median: float | None
    fixed_p90: float | None
    on_time_share: float | None
    reopen_rate: float | None


@dataclass(frozen=True)
class CategoryCount:
    name: str  # in the recipient's language
    reports: int
    reports_before: int


@dataclass(frozen=True)
class DensityLegend:
    colour: str
    low: int
    high: int


@dataclass(frozen=True)
class SummaryMapImage:
    png: bytes
    width: int
    height: int
    reports_shown: int
    scale_m: int
    cell_m: int | None  # None: a dot a report; else squares of this side
    classes: tuple[DensityLegend, ...] = ()


@dataclass(frozen=True)
class SummaryFacts:
    month: date
    party: str | None  # None: the whole municipality's summary
    this: KeyFigures
    before: KeyFigures
    categories: tuple[CategoryCount, ...]
    map: SummaryMapImage | None
    dashboard_url: str


# (key, label, kind): the rows of the key figures' table.
ROWS = (
    ("reports", N_("Reports received"), "count"),
    ("fixed", N_("Fixed"), "count"),
    ("response_median", N_("Working days to first response, median"), "days"),
    ("response_p90", N_("Working days to first response, 90th percentile"), "days"),
    ("fixed_median", N_("Working days to fixed, median"), "days"),
    ("fixed_p90", N_("Working days to fixed, 90th percentile"), "days"),
    ("on_time_share", N_("Fixed within the due time"), "share"),
    ("reopen_rate", N_("Reopened after being fixed"), "share"),
)


@dataclass(frozen=True)
class FigureRow:
    label: str
    this: str
    before: str
    change: str


class _Numbers:
    """Numbers written in one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        pattern = Locale.parse(language).percent_formats[None].pattern
        self.percent_pattern = pattern.replace("#,##0", "#,##0.#")

    def value(self, value: float | None, kind: str) -> str:
        if value is None:
            return NO_VALUE
        if kind == "count":
            return format_decimal(value, format="#,##0", locale=self.language)
        if kind == "days":
            return format_decimal(value, format="#,##0.#", locale=self.language)
        return format_percent(value, format=self.percent_pattern, locale=self.language)

    def signed(self, difference: float, pattern: str) -> str:
        if round(difference, 1) == 0:
            return format_decimal(0, locale=self.language)
        sign = (get_plus_sign_symbol(self.language) if difference > 0
                else get_minus_sign_symbol(self.language))
        return sign + format_decimal(abs(difference), format=pattern, locale=self.language)

    def change(self, this: float | None, before: float | None, kind: str) -> str:
        if this is None or before is None:
            return NO_VALUE
        if kind == "count":
            return self.signed(this - before, "#,##0")
        if kind == "days":
            return self.signed(this - before, "#,##0.#")
        points = self.signed((this - before) * 100, "#,##0.#")
        return mail_texts(self.language).gettext("%(points)s percentage points", points=points)


def month_name(month: date, language: str) -> str:
    """"May 2026" in the language (the name as a month's own, not inflected in a date)."""
    return format_skeleton("yMMMM", month, locale=language)


def figure_rows(facts: SummaryFacts, language: str) -> list[FigureRow]:
    numbers, texts = _Numbers(language), mail_texts(language)
    rows = []
    for key, label, kind in ROWS:
        this, before = getattr(facts.this, key), getattr(facts.before, key)
        rows.append(FigureRow(texts.gettext(label), numbers.value(this, kind),
                              numbers.value(before, kind), numbers.change(this, before, kind)))
    return rows


def map_content_id(facts: SummaryFacts) -> str:
    return f"summary-map-{facts.month.isoformat()[:7]}@feedbackgis"


def compose_monthly_summary(facts: SummaryFacts, *, to: str, language: str) -> OutgoingEmail:
    numbers = _Numbers(language)
    previous = date(facts.month.year - (facts.month.month == 1),
                    (facts.month.month - 2) % 12 + 1, 1)
    categories = [(each.name, numbers.value(each.reports, "count"),
                   numbers.value(each.reports_before, "count")) for each in facts.categories]
    shown = facts.map
    context = {
        "facts": facts, "month": month_name(facts.month, language),
        "month_before": month_name(previous, language), "rows": figure_rows(facts, language),
        "categories": categories, "map": shown,
        "map_cid": map_content_id(facts) if shown else None,
        "scale": _length(shown.scale_m, language) if shown else None,
        "cell": _length(shown.cell_m, language) if shown and shown.cell_m else None,
        "reports_shown": shown.reports_shown if shown else 0,
    }
    subject, text, html = render_email(MONTHLY_SUMMARY, language, **context)
    images = (InlineImage(map_content_id(facts), "image/png", shown.png),) if shown else ()
    return OutgoingEmail(to=to, subject=subject, text=text, html=html, language=language,
                         inline_images=images)


def _length(metres: int, language: str) -> str:
    if metres >= 1000:
        return f"{format_decimal(metres / 1000, format='#,##0.#', locale=language)} km"
    return f"{format_decimal(metres, format='#,##0', locale=language)} m"

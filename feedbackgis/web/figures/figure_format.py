"""Figures as pages and spreadsheets show them, in the page's language (Babel).

A value is a count, a number of working days, a share (0..1) or a text; None is a figure
there is nothing to compute from (no report got there), shown as a dash that a screen
reader reads as words. A CSV cell holds the same number without grouping, shares in per
cent, the decimal mark of the language; its delimiter is the one spreadsheets of that
language expect (a semicolon where the decimal mark is a comma), and a cell that would
begin a formula is prefixed with an apostrophe (domain/spreadsheet_cells.py).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum

from babel import Locale
from babel.dates import format_skeleton
from flask import Response
from flask_babel import format_decimal, format_percent, get_locale, gettext
from markupsafe import Markup, escape

from feedbackgis.domain.spreadsheet_cells import safe_cell


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    DAYS = "days"
    SHARE = "share"


Value = int | float | str | None
NUMERIC = frozenset({Kind.COUNT, Kind.DAYS, Kind.SHARE})


def _locale() -> Locale:
    return get_locale() or Locale.parse("en")


def _percent_pattern() -> str:
    """The language's per cent pattern with one optional decimal (0,5 % is not 1 %)."""
    return _locale().percent_formats[None].pattern.replace("#,##0", "#,##0.#")


def page_text(value: Value, kind: Kind) -> str:
    """The value as the page writes it (no markup); "" for None."""
    if value is None:
        return ""
    if kind is Kind.COUNT:
        return format_decimal(value, format="#,##0")
    if kind is Kind.DAYS:
        return format_decimal(value, format="#,##0.#")
    if kind is Kind.SHARE:
        return format_percent(value, format=_percent_pattern())
    return str(value)


def page_value(value: Value, kind: Kind) -> Markup:
    """The value for a page: formatted, or a dash that says in words that there is none."""
    if value is None:
        return Markup('<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>'
                      ).format(gettext("no value"))
    return escape(page_text(value, kind))


def month_label(month: date) -> str:
    """A month as the language names it (tammikuu 2026, januari 2026, January 2026)."""
    return format_skeleton("yMMMM", month, locale=_locale())


def csv_value(value: Value, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.SHARE:
        return format_decimal(value * 100, format="0.#")
    if kind in NUMERIC:
        return format_decimal(value, format="0.#")
    return safe_cell(str(value))


def csv_header(label: str, kind: Kind) -> str:
    return safe_cell(f"{label} (%)" if kind is Kind.SHARE else label)


def csv_delimiter() -> str:
    return ";" if _locale().number_symbols["latn"]["decimal"] == "," else ","


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Response:
    """A CSV download: UTF-8 with a byte order mark (so that Excel reads it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=csv_delimiter(), lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")  # ; charset=utf-8
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

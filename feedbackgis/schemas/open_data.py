"""The open data's period, read from the address, and its JSON and CSV.

The period is `?year=YYYY` (January to December; the current year up to this month), or
`?from=YYYY-MM&to=YYYY-MM` as on the managers' pages (schemas/figures.py; either may be
left out). Without them it is the dashboard's default: this month and the eleven before it,
so the open data and the dashboard agree (the current month, still growing, is flagged
by `includes_current_month`). A year together with months is refused, as is anything that
cannot be read: 422 naming the parameter, never a guess.

The CSV is RFC 4180 (comma, CRLF, double quotes), UTF-8 without a byte order mark: the
files are for scripts first (pandas, R, csvkit read a BOM as part of the first column's
name), and Excel and LibreOffice open UTF-8 through their text import. Its header names
are the JSON's field names, in English whatever the page language, so that a script
written once keeps working. Text cells that a spreadsheet would run as a formula begin
with an apostrophe.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, validate
from werkzeug.datastructures import MultiDict

from feedbackgis.domain.months import next_month
from feedbackgis.domain.spreadsheet_cells import safe_cell
from feedbackgis.schemas.figures import load_figure_filters
from feedbackgis.schemas.public_map import QueryInteger
from feedbackgis.schemas.staff_inbox import form_values
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.analytics.open_data import (
    CATEGORY_FIELDS,
    FIGURE_FIELDS,
    LICENSE_NAME,
    LICENSE_URL,
    PARTY_FIELDS,
    RULES,
    SCHEMA_VERSION,
    OpenData,
)

FIRST_YEAR = 2000
PERIOD_PARAMETERS = ("year", "from", "to")
TABLES = {"categories": CATEGORY_FIELDS, "parties": PARTY_FIELDS}
CSV_PERIOD_FIELDS = ("period_from", "period_to")


class _YearIn(Schema):
    class Meta:
        unknown = EXCLUDE

    year = QueryInteger(validate=validate.Range(min=FIRST_YEAR, max=2099))


def load_open_data_period(args: MultiDict[str, str], this_month: date) -> FigureFilters:
    """The period of a request's query; ValidationError (422) naming the parameter."""
    values = form_values(args, frozenset())
    year = _YearIn().load(values).get("year")
    months = MultiDict({key: values[key] for key in ("from", "to") if key in values})
    if year is None:
        return load_figure_filters(months, this_month)
    if months:
        raise ValidationError({"year": ["Give either a year or the months from and to, "
                                         "not both."]})
    if year > this_month.year:
        raise ValidationError({"year": [f"A year from {FIRST_YEAR} to {this_month.year}."]})
    return FigureFilters(first_month=date(year, 1, 1),
                         last_month=min(date(year, 12, 1), this_month))


def month_text(month: date) -> str:
    return month.isoformat()[:7]


def period_document(data: OpenData) -> dict[str, object]:
    period = data.period
    return {"from": month_text(period.first_month), "to": month_text(period.last_month),
            "first_day": period.first_month.isoformat(),
            "last_day": date.fromordinal(next_month(period.last_month).toordinal() - 1)
                            .isoformat(),
            "includes_current_month": period.includes_current_month}


def open_data_document(data: OpenData, schema_url: str) -> dict[str, Any]:
    """The JSON of the open data (schema version SCHEMA_VERSION)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "schema_url": schema_url,
        "license": {"name": LICENSE_NAME, "url": LICENSE_URL},
        "period": period_document(data),
        "time_zone": data.time_zone,
        "refreshed_at": data.refreshed_at.isoformat() if data.refreshed_at else None,
        "rules": dict(RULES),
        "totals": dict(data.total),
        "categories": [dict(row) for row in data.categories],
        "parties": [dict(row) for row in data.parties],
    }


def csv_header(table: str) -> tuple[str, ...]:
    return (*CSV_PERIOD_FIELDS, *TABLES[table], *FIGURE_FIELDS)


def open_data_csv(data: OpenData, table: str) -> str:
    """One table (`categories` or `parties`) as CSV text, a row per category or party;
    the period in each row, so that files of several periods can be put together."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(table))
    period = (month_text(data.period.first_month), month_text(data.period.last_month))
    for row in getattr(data, table):
        cells = [row[name] for name in (*TABLES[table], *FIGURE_FIELDS)]
        writer.writerow([*period, *(_cell(value) for value in cells)])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


def csv_file_name(data: OpenData, table: str) -> str:
    period = data.period
    return f"stats-{table}-{month_text(period.first_month)}-{month_text(period.last_month)}.csv"


__all__ = ["PERIOD_PARAMETERS", "TABLES", "csv_file_name", "load_open_data_period",
           "open_data_csv", "open_data_document"]

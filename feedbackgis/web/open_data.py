"""The public open data: /stats (a page), /stats.json, /stats/categories.csv,
/stats/parties.csv and the JSON's schema /stats/schema.json. No sign-in; only aggregates
(services/analytics/open_data.py). Two CSV addresses rather than ?table=: each is a file
of its own, with its own name, to link to and to cache.

Everything is cached for five minutes by anyone (the figures are refreshed every few
minutes anyway), and the machine-readable answers allow every origin (CORS), so that a
newsroom's page can read them in the browser.
"""
from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from flask import Response, current_app, g, render_template, request, url_for
from flask_babel import format_date, format_decimal, format_percent, gettext
from marshmallow import ValidationError

from feedbackgis.errors import flatten_messages
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.schemas.open_data import (
    csv_file_name,
    load_open_data_period,
    month_text,
    open_data_csv,
    open_data_document,
)
from feedbackgis.services.analytics.open_data import OpenData, open_data_figures
from feedbackgis.web import web_blueprint
from feedbackgis.web.figures.filter_form import this_month

CACHED = "public, max-age=300"
OPEN_HEADERS = {"Cache-Control": CACHED, "Access-Control-Allow-Origin": "*",
                "X-Content-Type-Options": "nosniff"}
SCHEMA_FILE = Path("open-data") / "stats.schema.json"
YEARS_OFFERED = 5

# What the page says of a period parameter it cannot use (named by its label).
PERIOD_ERRORS = {
    "year": N_("Year: choose a year from 2000 to %(last)s, without the months."),
    "from": N_("First month: give a month as YYYY-MM, such as 2026-03, no later than the "
               "last month and at most 120 months before it."),
    "to": N_("Last month: give a month as YYYY-MM, such as 2026-03, no earlier than the "
             "first month."),
}
PARTY_KINDS = {"unit": N_("Municipal unit"), "contractor": N_("Contractor"),
               "unassigned": N_("No party")}


def _time_zone() -> str:
    return current_app.config["TIMEZONE"]


def _figures() -> OpenData:
    """The figures of the asked period; ValidationError when it cannot be read."""
    filters = load_open_data_period(request.args, this_month())
    return open_data_figures(db.session, filters, _time_zone())


def schema_url() -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return base + url_for("web.stats_schema")


def _refused(error: ValidationError) -> tuple[Response, int]:
    """The machine-readable answers' error: the API's error format, with CORS."""
    fields = flatten_messages(error.messages)
    summary = "; ".join(f"{name}: {' '.join(texts)}" for name, texts in fields.items())
    body = {"error": "validation_failed", "message": f"Invalid input. {summary}",
            "fields": fields}
    response = _json_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 422


def _json_response(body: dict[str, Any]) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False, indent=1) + "\n",
                        mimetype="application/json")
    response.headers.update(OPEN_HEADERS)
    return response


@web_blueprint.get("/stats.json")
def stats_json() -> Any:
    try:
        data = _figures()
    except ValidationError as error:
        return _refused(error)
    return _json_response(open_data_document(data, schema_url()))


@web_blueprint.get("/stats/<any(categories, parties):table>.csv")
def stats_csv(table: str) -> Any:
    try:
        data = _figures()
    except ValidationError as error:
        return _refused(error)
    response = Response(open_data_csv(data, table),
                        mimetype="text/csv", content_type="text/csv; charset=utf-8; header=present")
    response.headers.update(OPEN_HEADERS)
    response.headers["Content-Disposition"] = f'attachment; filename="{csv_file_name(data, table)}"'
    return response


@cache
def _schema_text(static_folder: str) -> str:
    return (Path(static_folder) / SCHEMA_FILE).read_text(encoding="utf-8")


@web_blueprint.get("/stats/schema.json")
def stats_schema() -> Any:
    schema = json.loads(_schema_text(current_app.static_folder or "static"))
    schema["$id"] = schema_url()
    response = _json_response(schema)
    response.mimetype = "application/schema+json"
    return response


@web_blueprint.get("/stats")
def stats_page() -> Any:
    month = this_month()
    try:
        data = _figures()
    except ValidationError as error:
        fields = flatten_messages(error.messages)
        errors = {name: gettext(PERIOD_ERRORS[name], last=month.year)
                  for name in PERIOD_ERRORS if name in fields}
        return _page(None, month, errors, 422)
    return _page(data, month, {}, 200)


def _page(data: OpenData | None, month: date, errors: dict[str, str], status: int) -> Any:
    period = data.period if data else None
    page = render_template(
        "open_data.html", data=data, errors=errors, years=_years(month, data),
        period_values={"from": request.args.get("from", month_text(period.first_month)
                                                if period else ""),
                       "to": request.args.get("to", month_text(period.last_month)
                                              if period else "")},
        downloads=_downloads(), number=_number, share=_share, days=_days,
        month_name=_month_name, party_kind=lambda kind: gettext(PARTY_KINDS[kind]),
        category_name=lambda row: row[f"category_name_{g.language}"] or row["category_name_fi"],
    )
    headers = {"Vary": "Accept-Language, Cookie"}
    if status == 200:
        headers["Cache-Control"] = CACHED
    return page, status, headers


def _years(month: date, data: OpenData | None) -> list[dict[str, Any]]:
    # A year is the chosen one only when the page was asked for by its year.
    chosen = data.period.first_month.year if data and request.args.get("year") else None
    return [{"year": year, "current": year == chosen,
             "url": url_for("web.stats_page", year=year, lang=g.language)}
            for year in range(month.year, month.year - YEARS_OFFERED, -1)]


def _downloads() -> dict[str, str]:
    """The machine-readable answers for the same period as the page."""
    query = {key: request.args[key] for key in ("year", "from", "to") if request.args.get(key)}
    return {"categories_csv": url_for("web.stats_csv", table="categories", **query),
            "parties_csv": url_for("web.stats_csv", table="parties", **query),
            "json": url_for("web.stats_json", **query),
            "schema": url_for("web.stats_schema")}


def _number(value: int) -> str:
    return format_decimal(value)


def _share(value: float | None) -> str | None:
    return None if value is None else format_percent(value)


def _days(value: float | None) -> str | None:
    return None if value is None else format_decimal(value, format="#,##0.#")


def _month_name(month: date) -> str:
    return format_date(month, "LLLL yyyy")

"""The managers' dashboard (/staff/dashboard): the key figures of a period, tables by
category, party, zone, month and status, charts drawn from those tables
(static/figures/dashboard-charts.js reads them from JSON in the page), and each table as
a CSV download (/staff/dashboard/<table>.csv) with the same filters and numbers.

Who sees what is figures_scope's answer: admins and managers every party's, a handler
their own party's (whatever party the address asks for), other roles a 403 page. A filter
that cannot be read re-renders the page with 422 and names it.
"""
from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.errors import flatten_messages
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.schemas.figures import figure_filters_query, load_figure_filters
from feedbackgis.services.analytics.access import figures_scope
from feedbackgis.services.analytics.dashboard import Dashboard, FigureFilters, dashboard_figures
from feedbackgis.web.figures.dashboard_tables import TABLE_NAMES, Table, dashboard_table
from feedbackgis.web.figures.figure_format import (
    csv_header,
    csv_response,
    csv_value,
    page_value,
)
from feedbackgis.web.figures.filter_form import (
    filter_context,
    filter_errors,
    scope_note,
    this_month,
)
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.session import current_staff_user, login_required
from feedbackgis.web.texts import local_datetime

# The other managers' pages, linked with the same filters when they are there.
OTHER_PAGES = [("staff.heatmap", N_("Heatmap")), ("staff.hot_spots", N_("Hot spots")),
               ("staff.exports", N_("Exports"))]


def _figures(scope: StatisticsScope) -> Dashboard:
    """The figures the request's filters ask for (ValidationError when they cannot be read)."""
    filters = load_figure_filters(request.args, this_month())
    return dashboard_figures(db.session, filters, scope, g.language)


@staff_blueprint.get("/dashboard")
@login_required
def dashboard() -> Any:
    user = current_staff_user()
    scope = figures_scope(user)
    try:
        figures = _figures(scope)
    except ValidationError as exc:
        errors = filter_errors(flatten_messages(exc.messages))
        return render_template(
            "figures/dashboard.html", figures=None, errors=errors, other_pages=[],
            **filter_context(db.session, user, None, url_for("staff.dashboard"),
                             raw=request.args, errors=errors)), 422
    tables = {name: dashboard_table(name, figures) for name in TABLE_NAMES}
    query = {**figure_filters_query(figures.filters), "lang": g.language}
    return render_template(
        "figures/dashboard.html", figures=figures, tables=tables, errors={},
        charts=chart_data(tables), query=query, page_value=page_value,
        refreshed=local_datetime(figures.refreshed_at) if figures.refreshed_at else None,
        scope_note=scope_note(scope, request.args.get("party")),
        other_pages=_other_pages(query),
        **filter_context(db.session, user, figures.filters, url_for("staff.dashboard")))


@staff_blueprint.get("/dashboard/<name>.csv")
@login_required
def dashboard_csv(name: str) -> Any:
    if name not in TABLE_NAMES:
        abort(404)
    try:
        figures = _figures(figures_scope(current_staff_user()))
    except ValidationError as exc:
        # A download has no page to show the form on: the wrong parameters, named.
        errors = filter_errors(flatten_messages(exc.messages))
        text = "\n".join(f"{name}: {message}" for name, message in sorted(errors.items()))
        return Response(text + "\n", status=422, mimetype="text/plain")
    table = dashboard_table(name, figures)
    filters: FigureFilters = figures.filters
    period = f"{filters.first_month:%Y-%m}_{filters.last_month:%Y-%m}"
    return csv_response(
        f"figures-{name}-{period}.csv",
        [csv_header(column.label, column.kind) for column in table.columns],
        ([csv_value(value, kind) for value, kind in row] for row in table.cells()))


def _other_pages(query: dict[str, str]) -> list[dict[str, str]]:
    views = current_app.view_functions
    return [{"url": url_for(endpoint, **query), "label": gettext(label)}
            for endpoint, label in OTHER_PAGES if endpoint in views]


def chart_data(tables: dict[str, Table]) -> dict[str, Any]:
    """What the charts draw, from the tables shown beside them (the same numbers)."""
    months, parties, statuses = tables["months"], tables["parties"], tables["statuses"]
    return {
        "months": {"labels": months.column(0),
                   "datasets": [{"label": months.columns[1].label,
                                 "data": months.column(1)}],
                   "y_title": gettext("Reports")},
        "parties": {"labels": parties.column(0),
                    "datasets": [{"label": gettext("Median"), "data": parties.column(4)},
                                 {"label": gettext("90th percentile"),
                                  "data": parties.column(5)}],
                    "y_title": gettext("Working days to fixed")},
        "statuses": {"labels": statuses.column(0),
                     "datasets": [{"label": statuses.columns[1].label,
                                   "data": statuses.column(1)}],
                     "y_title": gettext("Reports")},
    }

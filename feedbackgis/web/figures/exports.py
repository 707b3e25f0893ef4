"""The exports page (/staff/exports): the figures' filters (a GET form), then a POST form
that asks for the file of those reports in a format (services/analytics/prepared_files), and
goes to the file's page, where its progress shows until it can be downloaded."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from feedbackgis.errors import flatten_messages
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.schemas.exports import EXPORT_CRS, EXPORT_FORMATS, load_export_form
from feedbackgis.schemas.figures import figure_filters_query, load_figure_filters
from feedbackgis.services.analytics.access import figures_scope, may_export_contacts_of
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.analytics.prepared_files import matching_reports, request_file
from feedbackgis.web.figures.filter_form import (
    FIELDS,
    filter_context,
    filter_errors,
    this_month,
)
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.session import current_staff_user, login_required

FORMAT_NAMES = {"csv": N_("CSV (spreadsheets, UTF-8)"), "xlsx": N_("Excel workbook (XLSX)"),
                "geojson": N_("GeoJSON (maps)"), "gpkg": N_("GeoPackage (GIS)")}
CRS_NAMES = {4326: N_("EPSG:4326: longitude and latitude (WGS 84)"),
             3067: N_("EPSG:3067: ETRS-TM35FIN metres")}
FORM_ERRORS = {"format": N_("Choose one of the formats."),
               "crs": N_("Choose one of the coordinate systems.")}


def render_exports(args: MultiDict[str, str], *, errors: dict[str, str] | None = None,
                   chosen: dict[str, str] | None = None, status: int = 200) -> Any:
    """The page for the filters of `args`; refused filters give 422, each one marked."""
    user = current_staff_user()
    figures_scope(user)  # 403 for a role without figures
    try:
        filters: FigureFilters | None = load_figure_filters(args, this_month())
    except ValidationError as exc:
        filters, status = None, 422
        raw = {name: args.get(name, "") for name in FIELDS}
        context = filter_context(db.session, user, None, url_for("staff.exports"), raw=raw,
                                 errors=filter_errors(flatten_messages(exc.messages)))
    else:
        context = filter_context(db.session, user, filters, url_for("staff.exports"))
    return render_template(
        "figures/exports.html", **context,
        hidden=context["filter_form"].values if filters is not None else None,
        reports=None if filters is None else matching_reports(
            db.session, user, filters, current_app.config["TIMEZONE"]),
        formats=[(kind.value, gettext(FORMAT_NAMES[kind.value])) for kind in EXPORT_FORMATS],
        crs_choices=[(crs, gettext(CRS_NAMES[crs])) for crs in EXPORT_CRS],
        may_export_contacts=may_export_contacts_of(user), errors=errors or {},
        chosen=chosen or {"format": "csv", "crs": "4326"}), status


@staff_blueprint.get("/exports")
@login_required
def exports() -> Any:
    return render_exports(request.args)


@staff_blueprint.post("/exports")
@login_required
def request_export() -> Any:
    user = current_staff_user()
    chosen = {name: request.form.get(name, "") for name in ("format", "crs", "contact")}
    try:
        filters = load_figure_filters(request.form, this_month())
    except ValidationError:
        return render_exports(request.form, chosen=chosen, status=422)
    try:
        kind, crs, with_contact = load_export_form(request.form)
    except ValidationError as exc:
        fields = {name.split(".")[0] for name in flatten_messages(exc.messages)}
        return render_exports(MultiDict(figure_filters_query(filters)), chosen=chosen,
                              status=422, errors={name: gettext(FORM_ERRORS.get(
                                  name, FORM_ERRORS["format"])) for name in fields})
    prepared = request_file(db.session, user, kind, filters, options={"crs": crs},
                            with_contact=with_contact, language=g.language,
                            time_zone=current_app.config["TIMEZONE"])
    return redirect(url_for("staff.prepared_file", file_id=prepared.id, lang=g.language),
                    code=303)

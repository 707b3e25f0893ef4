"""The heatmap of report density (/staff/heatmap): the figures' filters and a folium map.

Up to HEATMAP_INLINE_LIMIT matching reports, the page frames the map document
(/staff/heatmap/map, made on each request); more, and the page offers to build it as a
prepared file (services/analytics/prepared_files), whose page shows the progress and links
the finished document (/staff/heatmap/files/<id>, its requester only). Both documents are
folium's, served with a policy of their own (folium_assets.document_headers).

Who sees what is figures_scope's answer, as on the dashboard: a handler sees their own
party's reports only. A filter that cannot be read re-renders the page with 422 naming it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from feedbackgis.errors import InvalidInput, flatten_messages
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.models.prepared_file import FileKind, FileState
from feedbackgis.schemas.figures import figure_filters_query, load_figure_filters
from feedbackgis.services.analytics.access import figures_scope
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.analytics.heatmap import HeatmapSettings, count_matching, heatmap_html
from feedbackgis.services.analytics.prepared_files import file_of, request_file, stored_path
from feedbackgis.web.figures.filter_form import (
    filter_context,
    filter_errors,
    scope_note,
    this_month,
)
from feedbackgis.web.figures.folium_assets import document_headers, install_folium_assets
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.session import current_staff_user, login_required

DEFAULT_INLINE_LIMIT = 20_000
TOO_MANY = N_("More than %(limit)s reports match: build the heatmap as a file instead.")

# folium's defaults point at the service's own files in every app (web server, workers).
staff_blueprint.record_once(lambda state: install_folium_assets(state.app))


def _inline_limit() -> int:
    return int(current_app.config.get("HEATMAP_INLINE_LIMIT", DEFAULT_INLINE_LIMIT))


def _filters(args: MultiDict[str, str]) -> FigureFilters:
    return load_figure_filters(args, this_month())


@staff_blueprint.get("/heatmap")
@login_required
def heatmap() -> Any:
    return _render_page(request.args)


def _render_page(args: MultiDict[str, str]) -> Any:
    user = current_staff_user()
    scope = figures_scope(user)
    try:
        filters = _filters(args).within(scope)
    except ValidationError as exc:
        errors = filter_errors(flatten_messages(exc.messages))
        return render_template(
            "figures/heatmap.html", reports=None, errors=errors,
            **filter_context(db.session, user, None, url_for("staff.heatmap"),
                             raw=args, errors=errors)), 422
    reports = count_matching(db.session, filters, scope, current_app.config["TIMEZONE"])
    query = {**figure_filters_query(filters), "lang": g.language}
    return render_template(
        "figures/heatmap.html", reports=reports, errors={}, limit=_inline_limit(),
        inline=reports <= _inline_limit(), query=query,
        map_url=url_for("staff.heatmap_map", **query),
        scope_note=scope_note(scope, args.get("party")),
        **filter_context(db.session, user, filters, url_for("staff.heatmap")))


@staff_blueprint.get("/heatmap/map")
@login_required
def heatmap_map() -> Any:
    """The folium document, for the page's frame (the app's 422 page on bad filters)."""
    scope = figures_scope(current_staff_user())
    filters = _filters(request.args)
    time_zone = current_app.config["TIMEZONE"]
    limit = _inline_limit()
    if count_matching(db.session, filters, scope, time_zone) > limit:
        raise InvalidInput(gettext(TOO_MANY, limit=limit), field="from")
    html = heatmap_html(db.session, filters, scope, time_zone,
                        settings=HeatmapSettings.from_config(current_app.config),
                        language=g.language)
    return _map_document(html)


@staff_blueprint.post("/heatmap/build")
@login_required
def heatmap_build() -> Any:
    """Ask for the heatmap as a prepared file (CSRF-checked like every POST)."""
    user = current_staff_user()
    figures_scope(user)  # Forbidden before anything is read
    try:
        filters = _filters(request.form)
    except ValidationError:
        return _render_page(request.form)  # the page again, naming the field (422)
    prepared = request_file(db.session, user, FileKind.HEATMAP, filters, language=g.language,
                            time_zone=current_app.config["TIMEZONE"])  # commits
    return redirect(url_for("staff.prepared_file", file_id=prepared.id, lang=g.language), 303)


@staff_blueprint.get("/heatmap/files/<int:file_id>")
@login_required
def heatmap_file(file_id: int) -> Any:
    """A finished heatmap file, to its requester only."""
    prepared = file_of(db.session, current_staff_user(), file_id)
    if prepared.kind is not FileKind.HEATMAP or prepared.state is not FileState.DONE:
        abort(404)
    path = stored_path(Path(current_app.config["EXPORT_FOLDER"]), prepared)
    if path is None or not path.is_file():
        abort(404)
    return _map_document(path.read_text(encoding="utf-8"))


def _map_document(html: str) -> Any:
    return html, 200, document_headers(html, current_app.config["MAP_TILE_URL"])

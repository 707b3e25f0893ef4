"""Recurring hot spots (/staff/hot-spots): places where one kind of problem was reported
again and again in the last 12 months, most reports first, each with links to its reports.

Who sees what is figures_scope's answer: admins and managers every hot spot with all its
reports; a handler no other unit's figures: the hot spots holding at least
HOT_SPOT_MIN_REPORTS reports of their unit, each counted, dated and drawn from those reports
alone, with links to those only (services/analytics/hot_spots.list_hot_spots). The map
(static/figures/hot-spots.js) draws the hulls and centres from /staff/hot-spots.geojson
(the same scope and filter); the list says the same in words. A filter that cannot be read
gives 422 naming it: the page with the field marked, the GeoJSON as a JSON error.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, render_template, request, url_for
from flask_babel import format_date, gettext, ngettext
from marshmallow import ValidationError

from feedbackgis.errors import flatten_messages
from feedbackgis.extensions import db
from feedbackgis.models import Category
from feedbackgis.schemas.hot_spots import load_hot_spot_category
from feedbackgis.services.analytics.access import figures_scope
from feedbackgis.services.analytics.hot_spots import (
    LOOK_BACK_MONTHS,
    hot_spot_config,
    list_hot_spots,
)
from feedbackgis.services.catalog.listing import all_categories
from feedbackgis.web.map_settings import map_settings
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.inbox_links import report_link
from feedbackgis.web.staff.session import current_staff_user, login_required
from feedbackgis.web.texts import local_datetime

CATEGORY_ERROR = "Choose a category from the list."


def _label(category: str, count: int, first: Any, last: Any) -> str:
    return ngettext(
        "%(category)s — reported %(num)d time in %(months)d months, first %(first)s, "
        "last %(last)s",
        "%(category)s — reported %(num)d times in %(months)d months, first %(first)s, "
        "last %(last)s",
        count, category=category, months=LOOK_BACK_MONTHS,
        first=format_date(first, "medium"), last=format_date(last, "medium"))


def _entries(listing: Any, names: dict[int, str]) -> list[dict[str, Any]]:
    """Each hot spot with its texts and links ready for the list and the map."""
    return [{
        "id": spot.id,
        "category": names.get(spot.category_id, ""),
        "label": _label(names.get(spot.category_id, ""), spot.report_count,
                        spot.first_reported_at, spot.last_reported_at),
        "reports": [{"id": report_id, "url": report_link(report_id),
                     "text": gettext("Report #%(id)s", id=report_id)}
                    for report_id in spot.report_ids],
        "hull": spot.hull, "centre": [spot.centre_lon, spot.centre_lat],
    } for spot in listing.hot_spots]


def _read(args: Any) -> tuple[list[Category], int | None, Any]:
    """The categories, the chosen one and the listing, in the user's scope (ValidationError
    when the filter cannot be used; Forbidden when the role sees no figures)."""
    scope = figures_scope(current_staff_user())  # type: ignore[arg-type]
    categories = all_categories(db.session, g.language)
    category_id = load_hot_spot_category(args, {c.id for c in categories})
    _distance, min_reports, srid = hot_spot_config(current_app.config)
    return categories, category_id, list_hot_spots(db.session, scope, category_id,
                                                   min_reports=min_reports, srid=srid)


@staff_blueprint.get("/hot-spots")
@login_required
def hot_spots() -> Any:
    try:
        categories, category_id, listing = _read(request.args)
    except ValidationError:
        categories = all_categories(db.session, g.language)
        return _page(categories, None, None, errors={"category": gettext(CATEGORY_ERROR)},
                     chosen=request.args.get("category", "")), 422
    return _page(categories, category_id, listing, errors={},
                 chosen="" if category_id is None else str(category_id))


def _page(categories: list[Category], category_id: int | None, listing: Any, *,
          errors: dict[str, str], chosen: str) -> str:
    names = {c.id: c.name(g.language) for c in categories}
    query = {"lang": g.language} | ({"category": category_id} if category_id else {})
    return render_template(
        "figures/hot_spots.html", categories=categories, names=names, chosen=chosen,
        errors=errors, entries=_entries(listing, names) if listing else [],
        listing=listing, map_settings=map_settings(), look_back_months=LOOK_BACK_MONTHS,
        distance_m=current_app.config["HOT_SPOT_DISTANCE_M"],
        min_reports=current_app.config["HOT_SPOT_MIN_REPORTS"],
        computed_at=local_datetime(listing.computed_at) if listing and listing.computed_at
        else None, geojson_url=url_for("staff.hot_spots_geojson", **query))


@staff_blueprint.get("/hot-spots.geojson")
@login_required
def hot_spots_geojson() -> Any:
    try:
        categories, _category_id, listing = _read(request.args)
    except ValidationError as exc:
        fields = flatten_messages(exc.messages)
        return jsonify({"error": "validation_failed",
                        "message": "Invalid input. " + "; ".join(
                            f"{k}: {' '.join(v)}" for k, v in fields.items()),
                        "fields": fields}), 422
    names = {c.id: c.name(g.language) for c in categories}
    features = [{
        "type": "Feature", "id": entry["id"], "geometry": entry["hull"],
        "properties": {"category": entry["category"], "label": entry["label"],
                       "centre": entry["centre"], "reports": entry["reports"]},
    } for entry in _entries(listing, names)]
    response = jsonify({"type": "FeatureCollection", "features": features})
    response.mimetype = "application/geo+json"
    response.headers["Cache-Control"] = "private, no-store"
    return response

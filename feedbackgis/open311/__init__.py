"""Open311 GeoReport v2 at /open311/v2/: the same services as the JSON API, in the spec's
resources and fields, as JSON or XML by the suffix (services.json, services.xml).

The reads are public and need no api_key. An unknown suffix or resource is a 404 in JSON,
any other error the spec's errors list in the requested format (open311/errors.py).
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, request, url_for

from feedbackgis.errors import NotFound
from feedbackgis.extensions import csrf, db
from feedbackgis.open311.errors import register_error_handlers
from feedbackgis.open311.formats import FORMATS, render
from feedbackgis.schemas.open311 import is_id, load_locale, load_requests_query
from feedbackgis.services.open311.requests import find_requests, get_request
from feedbackgis.services.open311.services import get_service_definition, list_services

open311_blueprint = Blueprint("open311", __name__, url_prefix="/open311/v2")
# Other systems call it without cookies or sessions, like the JSON API (api/__init__.py).
csrf.exempt(open311_blueprint)
register_error_handlers(open311_blueprint)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this server's GeoReport v2 interface last changed (discovery's changeset).
CHANGESET = datetime(2026, 12, 1, tzinfo=UTC)


@open311_blueprint.url_value_preprocessor
def _take_format(endpoint: str | None, values: dict[str, Any] | None) -> None:
    fmt = (values or {}).pop("fmt", None)
    if fmt is None:
        return
    if fmt not in FORMATS:
        raise NotFound(f"No such format .{fmt}; use .json or .xml.")
    g.open311_format = fmt


@open311_blueprint.before_request
def _check_jurisdiction() -> None:
    asked = request.values.get("jurisdiction_id")
    if asked is not None and asked != current_app.config["OPEN311_JURISDICTION_ID"]:
        raise NotFound(f"No jurisdiction {asked} here.", field="jurisdiction_id")


def _render(body: Any, root: str) -> Response:
    return render(body, g.open311_format, root, ZoneInfo(current_app.config["TIMEZONE"]))


def _photo_url(photo_id: int) -> str:
    return url_for("photo_files.photo_image", photo_id=photo_id, _external=True)


@open311_blueprint.get("/discovery.<fmt>")
def discovery() -> Response:
    root = url_for("open311.discovery", fmt="json", _external=True).rsplit("/", 1)[0]
    return _render({
        "changeset": CHANGESET,
        "contact": current_app.config["OPEN311_CONTACT"],
        "key_service": "Ask the service's administrators for an api_key; reads need none.",
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": root,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }, "discovery")


@open311_blueprint.get("/services.<fmt>")
def services() -> Response:
    return _render(list_services(db.session, load_locale(request.args)), "services")


@open311_blueprint.get("/services/<service_code>.<fmt>")
def service_definition(service_code: str) -> Response:
    language = load_locale(request.args)
    return _render(get_service_definition(db.session, service_code, language),
                   "service_definition")


@open311_blueprint.get("/requests.<fmt>")
def service_requests() -> Response:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    query = load_requests_query(request.args, datetime.now(UTC), zone)
    return _render(find_requests(db.session, query, _photo_url), "service_requests")


@open311_blueprint.get("/requests/<service_request_id>.<fmt>")
def service_request(service_request_id: str) -> Response:
    language = load_locale(request.args)
    if not is_id(service_request_id):
        raise NotFound(f"No service request with id {service_request_id}.")
    found = get_request(db.session, int(service_request_id), language, _photo_url)
    return _render([found], "service_requests")


@open311_blueprint.route("/<path:unknown>", methods=["GET", "POST"])
def unknown_resource(unknown: str) -> Response:
    raise NotFound(f"No such resource: {unknown}.")

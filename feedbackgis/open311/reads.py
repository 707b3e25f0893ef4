"""GeoReport v2 reads: discovery, services and their definitions, requests. Public: they
need no api_key, and they show only public reports, never a contact."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Response, current_app, request, url_for

from feedbackgis.errors import NotFound
from feedbackgis.extensions import db
from feedbackgis.open311.blueprint import (
    document_settings,
    open311_blueprint,
    render_open311,
    render_requests,
)
from feedbackgis.schemas.open311 import (
    is_id,
    load_locale,
    load_request_options,
    load_requests_query,
)
from feedbackgis.services.open311.requests import find_requests, get_request
from feedbackgis.services.open311.services import get_service_definition, list_services

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this server's GeoReport v2 interface last changed (discovery's changeset).
CHANGESET = datetime(2026, 12, 1, tzinfo=UTC)


@open311_blueprint.get("/discovery.<fmt>")
def discovery() -> Response:
    root = url_for("open311.discovery", fmt="json", _external=True).rsplit("/", 1)[0]
    return render_open311({
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
    return render_open311(list_services(db.session, load_locale(request.args)), "services")


@open311_blueprint.get("/services/<service_code>.<fmt>")
def service_definition(service_code: str) -> Response:
    language = load_locale(request.args)
    return render_open311(get_service_definition(db.session, service_code, language),
                   "service_definition")


@open311_blueprint.get("/requests.<fmt>")
def service_requests() -> Response:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    query = load_requests_query(request.args, datetime.now(UTC), zone)
    return render_requests(find_requests(db.session, query, document_settings(query.language)))


@open311_blueprint.get("/requests/<service_request_id>.<fmt>")
def service_request(service_request_id: str) -> Response:
    language, extensions = load_request_options(request.args)
    if not is_id(service_request_id):
        raise NotFound(f"No service request with id {service_request_id}.")
    return render_requests(get_request(db.session, int(service_request_id),
                                       document_settings(language), extensions=extensions))

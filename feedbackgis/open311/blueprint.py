"""The GeoReport v2 blueprint at /open311/v2/ and what every resource shares: the format
by the suffix (services.json, services.xml), the jurisdiction check, the spec's errors.

The routes live beside it by what they serve: reads.py (discovery, services, requests),
submissions.py (POST requests, tokens), updates.py (servicerequestupdates).

A path under /open311/v2/ that no route takes (an unknown resource: 404; a method its
resource does not take: 405 with Allow) is refused by the routing before any blueprint is
chosen, where the app's handlers would answer in the JSON API's format or as a page; it is
answered here instead, as the spec's errors in the format of the path's suffix.
"""
from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, request, url_for
from werkzeug.exceptions import HTTPException

from feedbackgis.errors import NotFound
from feedbackgis.extensions import csrf, db
from feedbackgis.open311.errors import (
    error_response,
    http_error_response,
    register_error_handlers,
)
from feedbackgis.open311.formats import FORMATS, render
from feedbackgis.rate_limits import open311_read_limit
from feedbackgis.services.open311.requests import DocumentSettings

PREFIX = "/open311/v2"
open311_blueprint = Blueprint("open311", __name__, url_prefix=PREFIX)
# Other systems call it without cookies or sessions, like the JSON API (api/__init__.py).
csrf.exempt(open311_blueprint)
register_error_handlers(open311_blueprint)
# Every GET of the blueprint, per address (a 429 with Retry-After, in the errors list).
open311_read_limit(open311_blueprint)


@open311_blueprint.after_request
def _end_read(response: Response) -> Response:
    # The reads write nothing (their keyless requests note no key's use): their
    # statements stay prepared on the connection (extensions.Database.end_read_transaction).
    # A failed one (a 5xx: the database went away) is left to be rolled back.
    if request.method in ("GET", "HEAD") and response.status_code < 500:
        db.end_read_transaction()
    return response


@open311_blueprint.url_value_preprocessor
def _take_format(endpoint: str | None, values: dict[str, Any] | None) -> None:
    fmt = (values or {}).pop("fmt", None)
    if fmt is None:
        return
    if fmt not in FORMATS:
        raise NotFound(f"No such format .{fmt}; use .json or .xml.")
    g.open311_format = fmt


def format_of_path(path: str) -> str:
    """The format a path's suffix asks for (requests.xml: xml); JSON for any other."""
    suffix = path.rsplit("/", 1)[-1].rpartition(".")[2]
    return suffix if suffix in FORMATS else "json"


@open311_blueprint.before_app_request
def _refuse_unrouted_in_open311_format() -> Response | None:
    refusal = request.routing_exception
    if not isinstance(refusal, HTTPException) or (refusal.code or 0) < 400:
        return None  # routed, or a redirect (a missing slash)
    if request.path != PREFIX and not request.path.startswith(PREFIX + "/"):
        return None
    g.open311_format = format_of_path(request.path)
    if refusal.code == 404:
        return error_response(404, f"No such resource: {request.path.removeprefix(PREFIX)}.")
    return http_error_response(refusal)


@open311_blueprint.before_request
def _check_jurisdiction() -> None:
    # Empty is not given: form clients send every field of their form.
    asked = request.values.get("jurisdiction_id")
    if asked and asked != current_app.config["OPEN311_JURISDICTION_ID"]:
        ours = current_app.config["OPEN311_JURISDICTION_ID"]
        raise NotFound(f"No jurisdiction {asked} here: use {ours}, or leave jurisdiction_id "
                       "out.", field="jurisdiction_id")


def render_open311(body: Any, root: str, status: int = 200) -> Response:
    """`body` in the format the request's suffix asked for; `root` is the XML element."""
    return render(body, g.open311_format, root, ZoneInfo(current_app.config["TIMEZONE"]),
                  status=status)


def photo_url(photo_id: int) -> str:
    return url_for("photo_files.photo_image", photo_id=photo_id, _external=True)


# Any id: the URL of a photo is the same around every id (prefix + id + suffix).
_SOME_PHOTO = 2147483647


def document_settings(language: str) -> DocumentSettings:
    """What PostgreSQL needs to build the requests' documents for this request."""
    prefix, suffix = photo_url(_SOME_PHOTO).split(str(_SOME_PHOTO))
    return DocumentSettings(language=language, photo_prefix=prefix, photo_suffix=suffix,
                            time_zone=current_app.config["TIMEZONE"])


def render_requests(answer: str | list[dict[str, Any]]) -> Response:
    """GET requests' answer: JSON text as PostgreSQL built it goes out as it is."""
    if isinstance(answer, str):
        if g.open311_format == "json":
            return Response(answer, content_type=FORMATS["json"])
        answer = json.loads(answer)
    return render_open311(answer, "service_requests")

"""The GeoReport v2 blueprint at /open311/v2/ and what every resource shares: the format
by the suffix (services.json, services.xml), the jurisdiction check, the spec's errors.

The routes live beside it by what they serve: reads.py (discovery, services, requests),
submissions.py (POST requests, tokens), updates.py (servicerequestupdates).
"""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, request, url_for

from feedbackgis.errors import NotFound
from feedbackgis.extensions import csrf
from feedbackgis.open311.errors import register_error_handlers
from feedbackgis.open311.formats import FORMATS, render

open311_blueprint = Blueprint("open311", __name__, url_prefix="/open311/v2")
# Other systems call it without cookies or sessions, like the JSON API (api/__init__.py).
csrf.exempt(open311_blueprint)
register_error_handlers(open311_blueprint)


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


def render_open311(body: Any, root: str, status: int = 200) -> Response:
    """`body` in the format the request's suffix asked for; `root` is the XML element."""
    return render(body, g.open311_format, root, ZoneInfo(current_app.config["TIMEZONE"]),
                  status=status)


def photo_url(photo_id: int) -> str:
    return url_for("photo_files.photo_image", photo_id=photo_id, _external=True)

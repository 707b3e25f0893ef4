"""Open311 GeoReport v2 at /open311/v2/: the same services as the JSON API, in the spec's
resources and fields, as JSON or XML by the suffix (services.json, services.xml).

The reads are public and need no api_key; writes need one (services/open311/api_keys.py).
An unknown suffix or resource is a 404 in JSON, any other error the spec's errors list in
the requested format (open311/errors.py).
"""
from __future__ import annotations

from flask import Response

from feedbackgis.errors import NotFound
from feedbackgis.open311 import reads, submissions, updates  # noqa: F401 - their routes
from feedbackgis.open311.blueprint import open311_blueprint

__all__ = ["open311_blueprint"]


@open311_blueprint.route("/<path:unknown>", methods=["GET", "POST"])
def unknown_resource(unknown: str) -> Response:
    raise NotFound(f"No such resource: {unknown}.")

"""Open311 GeoReport v2 at /open311/v2/: the same services as the JSON API, in the spec's
resources and fields, as JSON or XML by the suffix (services.json, services.xml).

The reads are public and need no api_key; writes need one (services/open311/api_keys.py).
Every error is the spec's errors list in the format of the path's suffix (JSON when it is
not one of ours): an unknown resource 404, a wrong method 405 (open311/blueprint.py), any
other as open311/errors.py says.
"""
from __future__ import annotations

from feedbackgis.open311 import reads, submissions, updates  # noqa: F401 - their routes
from feedbackgis.open311.blueprint import open311_blueprint

__all__ = ["open311_blueprint"]

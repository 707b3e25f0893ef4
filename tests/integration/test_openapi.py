"""The OpenAPI document is valid and describes every API route the app serves (and the photo
files, which live outside /api/v1), the JSON side of Open311 (each resource's .json) and the
open data's /stats.json."""
from __future__ import annotations

import re

from openapi_spec_validator import validate


def _api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        described_prefix = rule.rule.startswith(("/api/v1/", "/photos/", "/open311/v2/"))
        if not (described_prefix or rule.rule == "/stats.json"):
            continue
        if rule.endpoint == "api.openapi_document":
            continue
        # Open311 serves each resource as .json and .xml; the document describes the JSON.
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.replace(".<fmt>", ".json"))
        routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_the_document_is_valid_openapi(client):
    validate(client.get("/api/v1/openapi.json").json)


def test_every_api_route_is_described(app, client):
    spec = client.get("/api/v1/openapi.json").json
    described = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert _api_routes(app) == described

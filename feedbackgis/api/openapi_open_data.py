"""The open data's part of the OpenAPI document: GET /stats.json (web/open_data.py), with
the published JSON Schema (static/open-data/stats.schema.json) as its answer's shape.

That file is JSON Schema 2020-12, the document OpenAPI 3.0: the file stays the one truth and
is translated here (const as a one-value enum, a null-or type as nullable, $defs as
components), so the two cannot drift apart.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apispec import APISpec

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "static" / "open-data" / "stats.schema.json"
PREFIX = "OpenData"  # components: OpenData, and OpenData<Def> for each of its $defs
# A period parameter left empty (as the page's form sends it) is the default.
MONTH = {"type": "string", "pattern": "^([0-9]{4}-(0[1-9]|1[0-2]))?$"}
# Keywords of the 2020-12 file that OpenAPI 3.0 does not take.
DROPPED = {"$schema", "$id", "$defs"}


def _component(definition: str) -> str:
    return PREFIX + definition[:1].upper() + definition[1:]


def _openapi_30(shape: Any) -> Any:
    if isinstance(shape, list):
        return [_openapi_30(item) for item in shape]
    if not isinstance(shape, dict):
        return shape
    result = {key: _openapi_30(value) for key, value in shape.items() if key not in DROPPED}
    if "const" in result:
        result["enum"] = [result.pop("const")]
    if isinstance(result.get("type"), list):
        types = [kind for kind in result["type"] if kind != "null"]
        (result["type"],) = types
        if len(types) < len(shape["type"]):
            result["nullable"] = True
    reference = result.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        # OpenAPI 3.0 ignores a $ref's siblings (a description): keep the $ref alone.
        result = {"$ref": "#/components/schemas/" + _component(reference.removeprefix(
            "#/$defs/"))}
    return result


def open_data_schemas() -> dict[str, Any]:
    """The file's schema and its $defs, as OpenAPI 3.0 components."""
    source = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    schemas = {PREFIX: _openapi_30(source)}
    for name, shape in source.get("$defs", {}).items():
        schemas[_component(name)] = _openapi_30(shape)
    return schemas


def open_data_paths(spec: APISpec, error_page: Any) -> None:  # noqa: ANN401
    """`error_page(description)` is openapi.py's answer of a page's error (HTML or JSON)."""
    for name, shape in open_data_schemas().items():
        spec.components.schema(name, shape)
    parameters = [
        {"name": "year", "in": "query", "description": "A whole year, 2000 to this year "
         "(this year: up to this month); not with from/to",
         "schema": {"type": "string", "pattern": "^(20[0-9]{2})?$"}},
        {"name": "from", "in": "query", "description": "The first month, YYYY-MM, from 2000-01",
         "schema": MONTH},
        {"name": "to", "in": "query", "description": "The last month, YYYY-MM (default this "
         "month; from defaults to eleven months before it)", "schema": MONTH},
    ]
    spec.path(path="/stats.json", operations={"get": {
        "summary": "The open data: how reports were handled, by category and by party, in "
                   "whole months (aggregates only; CC BY 4.0). Also as /stats/categories.csv "
                   "and /stats/parties.csv; the schema at /stats/schema.json",
        "tags": ["Open data"], "parameters": parameters,
        "responses": {
            "200": {"description": "The figures", "headers": {"Cache-Control": {
                "description": "public, max-age=300", "schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {
                    "$ref": f"#/components/schemas/{PREFIX}"}}}},
            "422": {"description": "A period that cannot be read (fields names the "
                                   "parameter), or a year together with months",
                    "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Error"}}}},
            "503": error_page("The database is briefly unavailable; try again"),
        },
    }})

"""The public map's part of the OpenAPI document: its query parameters as the schemas in
schemas/public_map.py read them, and its answers as they dump them (every field present)."""
from __future__ import annotations

from typing import Any

from apispec import APISpec

from feedbackgis.domain.map_grid import MAX_VIEWPORT_CELLS, MAX_ZOOM, POINTS_FROM_ZOOM
from feedbackgis.domain.public_map import MAX_CATEGORY_CODES, MAX_DAYS, ReportState
from feedbackgis.schemas.public_map import (
    ClusteredMapOut,
    ListedReportOut,
    PointMapOut,
    ReportPageOut,
)
from feedbackgis.services.public_map.map_view import FEW_REPORTS, MAX_POINTS
from feedbackgis.services.public_map.report_list import MAX_PAGE, PAGE_SIZE

# ListedReport before ReportPage, which nests it (else apispec adds a second copy).
SCHEMAS = {"ClusteredMap": ClusteredMapOut, "PointMap": PointMapOut,
           "ListedReport": ListedReportOut, "ReportPage": ReportPageOut}
# The nested schemas apispec names after their classes, answered whole too.
NESTED = ("MapCellOut", "MapPointOut", "CategoryNameOut")


def _bbox(required: bool) -> dict[str, Any]:
    return {
        "name": "bbox", "in": "query", "required": required, "style": "form", "explode": False,
        "schema": {"type": "array", "minItems": 4, "maxItems": 4,
                   "items": {"type": "number", "minimum": -180, "maximum": 180}},
        "description": "minlon,minlat,maxlon,maxlat in degrees (WGS 84), each a plain "
                       "number; latitudes within -90..90, minlon <= maxlon (a box across the "
                       "antimeridian is refused), minlat <= maxlat. Edges are included.",
    }


FILTERS = [
    {"name": "category", "in": "query", "style": "form", "explode": False,
     "description": "Only these categories (codes, comma-separated; GET /api/v1/categories). "
                    "A code of no category is refused with 422, not ignored.",
     "schema": {"type": "array", "minItems": 1, "maxItems": MAX_CATEGORY_CODES,
                "items": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"}}},
    {"name": "state", "in": "query",
     "description": "open: received, waiting to be assigned, assigned, in progress or "
                    "waiting; fixed: fixed or closed (reports that ended without a fix - not "
                    "ours, duplicate, rejected, withdrawn - are never shown)",
     "schema": {"type": "string", "enum": [s.value for s in ReportState], "default": "all"}},
    {"name": "days", "in": "query",
     "description": "Only reports created in the last `days` * 24 hours; without it, of any age",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS}},
]
ZOOM = {"name": "zoom", "in": "query", "required": True,
        "description": "The map's zoom level (256-pixel Web Mercator tiles)",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM}}
PAGE = {"name": "page", "in": "query", "description": f"{PAGE_SIZE} reports a page",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}}
CACHED = {"Cache-Control": {"description": "public, max-age=30",
                            "schema": {"type": "string"}}}

MAP_SUMMARY = (
    "The published reports in a viewport, for the public map. Below zoom "
    f"{POINTS_FROM_ZOOM}, counted in a grid of 64-pixel Web Mercator cells (each cell's count "
    "and its reports' mean position; a cell counts all its reports, also those just outside "
    f"the bbox). From zoom {POINTS_FROM_ZOOM}, or when the viewport holds at most "
    f"{FEW_REPORTS} reports, the reports themselves, newest first, at most {MAX_POINTS} "
    "(`truncated` says when more matched). A viewport larger than "
    f"{MAX_VIEWPORT_CELLS} cells of its zoom is counted in a coarser grid (`grid_zoom`). "
    "No personal data."
)


def public_map_paths(spec: APISpec, responses, lang: dict[str, Any]) -> None:  # noqa: ANN001
    """`responses(success, *error codes)` is openapi.py's; `lang` its ?lang= parameter."""
    answer = {"oneOf": [{"$ref": "#/components/schemas/ClusteredMap"},
                        {"$ref": "#/components/schemas/PointMap"}]}
    spec.path(path="/api/v1/map/reports", operations={"get": {
        "summary": MAP_SUMMARY, "parameters": [_bbox(True), ZOOM, *FILTERS],
        "responses": responses({"200": _cached(answer, "Cells, or reports")}, "422", "503"),
    }})
    page = {"$ref": "#/components/schemas/ReportPage"}
    spec.path(path="/api/v1/reports", operations={"get": {
        "summary": "The same reports as a list (for those who cannot use a map): newest "
                   "first, descriptions shortened, category names in the language asked. "
                   "Without bbox, everywhere.",
        "parameters": [_bbox(False), *FILTERS, PAGE, lang],
        "responses": responses({"200": _cached(page, "A page of reports")}, "422", "503"),
    }})


def _cached(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "headers": CACHED,
            "content": {"application/json": {"schema": schema}}}


def complete_public_map_schemas(components: dict[str, Any]) -> None:
    """What marshmallow does not say: every field is always there, `clustered` tells the
    two answers apart, and a listed report's location is a lon, lat pair."""
    for name in (*SCHEMAS, *NESTED):
        components[name]["required"] = sorted(components[name]["properties"])
    components["ClusteredMap"]["properties"]["clustered"]["enum"] = [True]
    components["PointMap"]["properties"]["clustered"]["enum"] = [False]
    components["ListedReport"]["properties"]["location"] = {
        "type": "object", "required": ["lon", "lat"],
        "properties": {"lon": {"type": "number"}, "lat": {"type": "number"}}}

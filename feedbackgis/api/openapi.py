"""The OpenAPI document, built from the same marshmallow schemas the API loads and dumps."""
from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from feedbackgis.api import api_blueprint
from feedbackgis.schemas.fields import Location
from feedbackgis.schemas.reports import PublicReportOut, ReportIn, SubmittedReportOut
from feedbackgis.schemas.subscriptions import (
    AcceptedOut,
    AreaSubscriptionIn,
    FollowerIn,
    SubscriptionArea,
)

ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "array",
                                                              "items": {"type": "string"}}},
    },
    "required": ["error", "message"],
}
LANG = {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["fi", "sv", "en"]},
        "description": "Language of names; else Accept-Language, else the default."}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _paths(spec: APISpec) -> None:
    spec.path(path="/api/v1/reports", operations={"post": {
        "summary": "Submit a report",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ReportIn"}}}},
        "responses": {
            "201": _json("SubmittedReport", "Stored and routed; Location names the resource"),
            "400": _error("Malformed JSON"), "413": _error("Body too large"),
            "415": _error("Not application/json"),
            "422": _error("Invalid field values; `fields` names each field and what is wrong"),
        }}})
    spec.path(path="/api/v1/reports/{report_id}", operations={"get": {
        "summary": "The public view of a published report",
        "parameters": [{"name": "report_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}, LANG],
        "responses": {"200": _json("PublicReport", "The report"),
                      "404": _error("No such public report")}}})
    spec.path(path="/api/v1/follow-up/{token}", operations={"get": {
        "summary": "The reporter's view through the follow-up link",
        "parameters": [{"name": "token", "in": "path", "required": True,
                        "schema": {"type": "string"}}, LANG],
        "responses": {"200": _json("PublicReport", "The report"),
                      "404": _error("Unknown token")}}})
    _subscription_paths(spec)
    spec.path(path="/api/v1/categories", operations={"get": {
        "summary": "Active categories in the requested language", "parameters": [LANG],
        "responses": {"200": {"description": "Categories", "content": {"application/json": {
            "schema": {"type": "object", "properties": {
                "language": {"type": "string"},
                "categories": {"type": "array", "items": {"type": "object", "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"}}}}}}}}}}}})
    spec.path(path="/api/v1/area", operations={"get": {
        "summary": "The municipality's service area as a GeoJSON FeatureCollection",
        "responses": {"200": {"description": "GeoJSON", "content": {"application/json": {
            "schema": {"type": "object"}}}}}}})


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _subscription_paths(spec: APISpec) -> None:
    accepted = _json("Accepted", "A confirmation email goes out if one is due; the answer is "
                                 "the same whether or not the address already subscribed")
    spec.path(path="/api/v1/subscriptions", operations={"post": {
        "summary": "Subscribe an email address to a daily digest of new public reports in an "
                   "area (a polygon, or a circle around a point); confirmed by email first",
        "requestBody": _body("AreaSubscriptionIn"),
        "responses": {
            "202": accepted, "400": _error("Malformed JSON"),
            "415": _error("Not application/json"),
            "422": _error("Invalid fields, e.g. `area`: not a valid polygon, too many vertices, "
                          "larger than 2,000 km², outside the service area; `area.radius_m`"),
        }}})
    spec.path(path="/api/v1/reports/{report_id}/followers", operations={"post": {
        "summary": "Follow a public report (instead of reporting it again); confirmed by email",
        "parameters": [{"name": "report_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "requestBody": _body("FollowerIn"),
        "responses": {"202": accepted, "404": _error("No such public report"),
                      "422": _error("Invalid fields")}}})


@cache
def build_spec() -> dict[str, Any]:
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="feedbackgis API", version="1", openapi_version="3.0.3", plugins=[plugin],
        info={"description": "Resident feedback on a map. Coordinates are lon, lat (WGS 84)."},
    )
    plugin.map_to_openapi_type(Location, "object", None)
    plugin.map_to_openapi_type(SubscriptionArea, "object", None)
    spec.components.schema("Error", ERROR)
    spec.components.schema("ReportIn", schema=ReportIn)
    spec.components.schema("PublicReport", schema=PublicReportOut)
    spec.components.schema("SubmittedReport", schema=SubmittedReportOut)
    spec.components.schema("AreaSubscriptionIn", schema=AreaSubscriptionIn)
    spec.components.schema("FollowerIn", schema=FollowerIn)
    spec.components.schema("Accepted", schema=AcceptedOut)
    _paths(spec)
    return spec.to_dict()


@api_blueprint.get("/openapi.json")
def openapi_document():  # noqa: ANN201
    return build_spec()

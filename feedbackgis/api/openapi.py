"""The OpenAPI document, built from the same marshmallow schemas the API loads and dumps.

It must tell the truth: every status an operation can answer is listed, and the request
schemas accept what the service accepts (the schemathesis test in tests/e2e fuzzes the
served API against this document). The shapes marshmallow cannot describe by itself (a
location, a subscription area) are written out here, beside the fields that load them.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from feedbackgis.api import DATABASE_ID_MAX, api_blueprint
from feedbackgis.api.openapi_open311 import open311_paths
from feedbackgis.api.openapi_open_data import open_data_paths
from feedbackgis.api.openapi_public_map import SCHEMAS as PUBLIC_MAP_SCHEMAS
from feedbackgis.api.openapi_public_map import complete_public_map_schemas, public_map_paths
from feedbackgis.api.openapi_work_orders import (
    BEARER_AUTH,
    WEBHOOKS,
    complete_work_order_schemas,
    work_order_paths,
)
from feedbackgis.api.openapi_work_orders import SCHEMAS as WORK_ORDER_SCHEMAS
from feedbackgis.domain.limits import (
    SUBSCRIPTION_RADIUS_MAX_M,
    SUBSCRIPTION_RADIUS_MIN_M,
    TEXT_ANSWER_MAX_LENGTH,
)
from feedbackgis.i18n import LANGUAGES
from feedbackgis.schemas.catalog import CategoriesOut
from feedbackgis.schemas.nearby import CATEGORY_CODE_MAX_LENGTH, PRINTABLE, NearbyReportsOut
from feedbackgis.schemas.photos import UploadedPhotoOut
from feedbackgis.schemas.reports import PublicReportOut, ReportIn, SubmittedReportOut
from feedbackgis.schemas.subscriptions import AcceptedOut, AreaSubscriptionIn, FollowerIn
from feedbackgis.services.reports.idempotency import HEADER, KEY_MAX_LENGTH

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


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


LON_LAT = {
    "type": "object", "required": ["lon", "lat"], "additionalProperties": False,
    "properties": {"lon": {"type": "number", "minimum": -180, "maximum": 180},
                   "lat": {"type": "number", "minimum": -90, "maximum": 90}},
}
POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"},
            "description": "[lon, lat] in degrees, optionally with a height"}
GEOJSON_POINT = {
    "type": "object", "required": ["type", "coordinates"],
    "properties": {"type": {"type": "string", "enum": ["Point"]}, "coordinates": POSITION},
}
LOCATION = {"oneOf": [_ref("LonLat"), _ref("GeoJSONPoint")],
            "description": '{"lon", "lat"} in degrees (WGS 84), or a GeoJSON Point'}
GEOJSON_POLYGON = {
    "type": "object", "required": ["type", "coordinates"],
    "properties": {
        "type": {"type": "string", "enum": ["Polygon"]},
        "coordinates": {"type": "array", "minItems": 1, "description": "Linear rings (RFC 7946)",
                        "items": {"type": "array", "minItems": 4, "items": POSITION}},
    },
}
CIRCLE = {
    "type": "object", "required": ["center", "radius_m"], "additionalProperties": False,
    "properties": {"center": LOCATION, "radius_m": {
        "type": "number", "minimum": SUBSCRIPTION_RADIUS_MIN_M,
        "maximum": SUBSCRIPTION_RADIUS_MAX_M}},
}
# An answer to a category's question (which type each question takes is its `kind`).
ANSWER_VALUE = {"oneOf": [{"type": "string", "maxLength": TEXT_ANSWER_MAX_LENGTH},
                          {"type": "number"}, {"type": "boolean"}]}
# What marshmallow's generated schemas say too loosely (a custom field is "any", a nullable
# nested schema becomes "any object"): (schema, property) -> the exact shape.
EXACT_PROPERTIES = {
    ("ReportIn", "location"): _ref("Location"),
    ("ReportIn", "contact"): {"anyOf": [_ref("ContactIn"), {
        "type": "object", "nullable": True, "maxProperties": 0}]},
    ("PublicReport", "location"): {
        "type": "object", "nullable": True, "required": ["lon", "lat"],
        "properties": {"lon": {"type": "number"}, "lat": {"type": "number"}},
        "description": "Where it is, or null when only an address was given"},
    ("ReportIn", "answers"): {
        "type": "object", "additionalProperties": _ref("AnswerValue"),
        "description": "{question code: answer} for the category's questions (GET "
                       "/api/v1/categories): every required one, no others; text a string, "
                       "number a number, yesno true or false, choice an option's key"},
    ("AnswerOut", "value"): {**ANSWER_VALUE, "description": "number: a number; yesno: true "
                                                           "or false; choice: the option's key"},
    ("UploadedPhoto", "gps"): {
        "type": "object", "nullable": True, "required": ["lon", "lat"],
        "properties": {"lon": {"type": "number"}, "lat": {"type": "number"}},
        "description": "Where the camera said it was, offered as the pin; null when the "
                       "photo had no position. Not stored, and removed from the photo"},
    ("AreaSubscriptionIn", "area"): {
        "oneOf": [_ref("GeoJSONPolygon"), _ref("Circle")],
        "description": "A GeoJSON Polygon in lon, lat degrees, or a circle around a point"},
}

LANG = {"name": "lang", "in": "query", "schema": {"type": "string", "enum": list(LANGUAGES)},
        "description": "Language of names; else Accept-Language, else the default."}
REPORT_ID = {"name": "report_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": DATABASE_ID_MAX}}
IDEMPOTENCY_KEY = {
    "name": HEADER, "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH,
               "pattern": "^[!-~]+$"},
    "description": "A key of the client's own (e.g. a UUID). A resend with the same key and "
                   "body within 24 hours gets the first answer and stores nothing new; the "
                   "same key with another body is refused with 422.",
}
ERRORS = {
    "400": "Malformed JSON, or a body that is not a JSON object",
    "404": "No such resource",
    "413": "Body too large",
    "415": "Not application/json",
    "422": "Invalid input; `fields` names each field (or parameter) and what is wrong",
    "429": "Too many requests from this client; Retry-After says when to try again",
    "503": "The database is briefly unavailable; try again (Retry-After)",
}
BODY_ERRORS = ("400", "413", "415", "422", "503")
LIMITED = ("429",)  # operations with a per-client rate limit (feedbackgis/rate_limits.py)


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _responses(success: dict[str, Any], *errors: str) -> dict[str, Any]:
    return {**success, **{code: _json(_ref("Error"), ERRORS[code]) for code in errors}}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


def _report_paths(spec: APISpec) -> None:
    spec.path(path="/api/v1/reports", operations={"post": {
        "summary": "Submit a report", "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body("ReportIn"),
        "responses": _responses(
            {"201": _json(_ref("SubmittedReport"),
                          "Stored and routed (or, for a resend, stored before); Location "
                          "names the resource")},
            *BODY_ERRORS, *LIMITED),
    }})
    spec.path(path="/api/v1/reports/{report_id}", operations={"get": {
        "summary": "The public view of a published report", "parameters": [REPORT_ID, LANG],
        "responses": _responses({"200": _json(_ref("PublicReport"), "The report")},
                                "404", "422", "503"),
    }})
    spec.path(path="/api/v1/follow-up/{token}", operations={"get": {
        "summary": "The reporter's view through the follow-up link",
        "parameters": [{"name": "token", "in": "path", "required": True,
                        "schema": {"type": "string"}}, LANG],
        "responses": _responses({"200": _json(_ref("PublicReport"), "The report")},
                                "404", "422", "503"),
    }})


def _subscription_paths(spec: APISpec) -> None:
    accepted = {"202": _json(_ref("Accepted"),
                             "A confirmation email goes out if one is due; the answer is the "
                             "same whether or not the address already subscribed")}
    spec.path(path="/api/v1/subscriptions", operations={"post": {
        "summary": "Subscribe an email address to a daily digest of new public reports in an "
                   "area (a polygon, or a circle around a point); confirmed by email first. "
                   "422 also when the area is not a valid polygon, has too many vertices, is "
                   "larger than 2,000 km² or lies outside the service area.",
        "requestBody": _body("AreaSubscriptionIn"),
        "responses": _responses(accepted, *BODY_ERRORS, *LIMITED),
    }})
    spec.path(path="/api/v1/reports/{report_id}/followers", operations={"post": {
        "summary": "Follow a public report (instead of reporting it again); confirmed by email",
        "parameters": [REPORT_ID], "requestBody": _body("FollowerIn"),
        "responses": _responses(accepted, "404", *BODY_ERRORS, *LIMITED),
    }})


def _nearby_paths(spec: APISpec) -> None:
    def number(name: str, limit: int) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": True,
                "schema": {"type": "number", "minimum": -limit, "maximum": limit}}

    category = {"name": "category", "in": "query", "required": True,
                "description": "The category code of the report being written",
                "schema": {"type": "string", "minLength": 1,
                           "maxLength": CATEGORY_CODE_MAX_LENGTH, "pattern": PRINTABLE}}
    spec.path(path="/api/v1/reports/nearby", operations={"get": {
        "summary": "Published open reports of a category near a point (within "
                   "DUPLICATE_RADIUS_M metres, nearest first): possible duplicates, to follow "
                   "instead of reporting again. Public fields only",
        "parameters": [number("lon", 180), number("lat", 90), category, LANG],
        "responses": _responses({"200": _json(_ref("NearbyReports"), "Nearby reports")},
                                "422", "503"),
    }})


def _catalog_paths(spec: APISpec) -> None:
    spec.path(path="/api/v1/categories", operations={"get": {
        "summary": "Active categories in the requested language, each with the questions a "
                   "report in it answers", "parameters": [LANG],
        "responses": _responses({"200": _json(_ref("Categories"), "Categories")}, "422", "503"),
    }})
    collection = {"type": "object", "required": ["type", "features"], "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}}}}
    spec.path(path="/api/v1/area", operations={"get": {
        "summary": "The municipality's service area as a GeoJSON FeatureCollection",
        "responses": _responses({"200": _json(collection, "GeoJSON")}, "503"),
    }})


PHOTO_UPLOAD = {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": (
        "A JPEG, PNG, WebP or HEIC/HEIF photo (judged by its content, not its name or type), "
        "at most PHOTO_MAX_BYTES (10 MB) and PHOTO_MAX_PIXELS (40 megapixels) by default")}},
}
PHOTO_UPLOAD_ERRORS = {
    "400": "A malformed multipart body",
    "413": "The photo has more bytes or pixels than are taken",
    "415": "Not multipart/form-data, or a file that is not a JPEG, PNG, WebP or HEIC/HEIF "
           "photo by its content (a picture that also carries markup or a document included)",
    "422": "No file in the field `file`, or a picture that cannot be decoded",
    "429": ERRORS["429"],
    "503": ERRORS["503"],
}
PHOTO_ID = {"name": "photo_id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": DATABASE_ID_MAX}}


def _page_or_json(description: str) -> dict[str, Any]:
    """An error outside /api/: the HTML error page, or JSON for Accept: application/json."""
    return {"description": description, "content": {
        "text/html": {"schema": {"type": "string"}},
        "application/json": {"schema": _ref("Error")}}}


def _photo_file(summary: str) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": [PHOTO_ID], "responses": {
        "200": {"description": "The re-encoded JPEG (no metadata), never the upload itself",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}},
        "304": {"description": "Not modified (If-None-Match)"},
        "404": _page_or_json("No such photo, or not public: hidden by staff, not attached, "
                             "or of a report that is not published"),
        "503": _page_or_json(ERRORS["503"]),
    }}}


def _photo_paths(spec: APISpec) -> None:
    spec.path(path="/api/v1/photos", operations={"post": {
        "summary": "Upload a photo for a report: checked, re-encoded without metadata and "
                   "kept; name its upload_token in the report's `photos` within 24 hours",
        "requestBody": {"required": True,
                        "content": {"multipart/form-data": {"schema": PHOTO_UPLOAD}}},
        "responses": {
            "201": _json(_ref("UploadedPhoto"), "Kept; the token attaches it to a report"),
            **{code: _json(_ref("Error"), text) for code, text in PHOTO_UPLOAD_ERRORS.items()},
        },
    }})
    spec.path(path="/photos/{photo_id}.jpg",
              operations=_photo_file("A photo of a published report"))
    spec.path(path="/photos/{photo_id}/thumbnail.jpg",
              operations=_photo_file("The photo's thumbnail (the photo itself until it is made)"))


@cache
def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="feedbackgis API", version="1", openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Resident feedback on a map. Coordinates are lon, lat (WGS 84)."
                             + WEBHOOKS},
    )
    shapes = {"Error": ERROR, "LonLat": LON_LAT, "GeoJSONPoint": GEOJSON_POINT,
              "Location": LOCATION, "GeoJSONPolygon": GEOJSON_POLYGON, "Circle": CIRCLE,
              "AnswerValue": ANSWER_VALUE}
    for name, shape in shapes.items():
        spec.components.schema(name, shape)
    for name, schema in (("ReportIn", ReportIn), ("PublicReport", PublicReportOut),
                         ("SubmittedReport", SubmittedReportOut),
                         ("AreaSubscriptionIn", AreaSubscriptionIn), ("FollowerIn", FollowerIn),
                         ("Accepted", AcceptedOut), ("Categories", CategoriesOut),
                         ("UploadedPhoto", UploadedPhotoOut),
                         ("NearbyReports", NearbyReportsOut)):
        spec.components.schema(name, schema=schema)
    for name, schema in (*PUBLIC_MAP_SCHEMAS.items(), *WORK_ORDER_SCHEMAS.items()):
        spec.components.schema(name, schema=schema)
    spec.components.security_scheme("bearerAuth", BEARER_AUTH)
    _report_paths(spec)
    _subscription_paths(spec)
    _catalog_paths(spec)
    _nearby_paths(spec)
    _photo_paths(spec)
    public_map_paths(spec, _responses, LANG)
    work_order_paths(spec, ERRORS, _json, REPORT_ID, IDEMPOTENCY_KEY, LANG)
    open311_paths(spec)
    open_data_paths(spec, _page_or_json)
    document = spec.to_dict()
    components = document["components"]["schemas"]
    for (schema, prop), shape in EXACT_PROPERTIES.items():
        components[schema]["properties"][prop] = shape
    complete_public_map_schemas(components)
    complete_work_order_schemas(components)
    # Either a place or an address text (the report then goes to triage for staff to pin).
    components["ReportIn"]["anyOf"] = [{"required": ["location"]}, {"required": ["address"]}]
    return document


@api_blueprint.get("/openapi.json")
def openapi_document():  # noqa: ANN201
    return build_spec()

"""The work-order API's part of the OpenAPI document: its bearer token (bearerAuth), its
parameters as schemas/contractor_api.py reads them, its answers as it dumps them, and the
webhook deliveries a party's system receives (described in the API's description)."""
from __future__ import annotations

from typing import Any

from apispec import APISpec

from feedbackgis.domain.limits import STAFF_TEXT_MAX_LENGTH
from feedbackgis.schemas.contractor_api import (
    WorkOrderNoteIn,
    WorkOrderNoteOut,
    WorkOrderOut,
    WorkOrderPageOut,
    WorkOrderPhotoOut,
    WorkOrderStatusIn,
)
from feedbackgis.services.contractor_api.updates import AFTER_PHOTOS_MAX, CONTRACTOR_STATUSES
from feedbackgis.services.contractor_api.work_orders import (
    MAX_PAGE,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    WORK_ORDER_STATUSES,
)

# Nested schemas before those that nest them (else apispec adds a second copy).
SCHEMAS = {"WorkOrderPhoto": WorkOrderPhotoOut, "WorkOrder": WorkOrderOut,
           "WorkOrderPage": WorkOrderPageOut, "WorkOrderStatusIn": WorkOrderStatusIn,
           "WorkOrderNoteIn": WorkOrderNoteIn, "WorkOrderNote": WorkOrderNoteOut}
SECURITY = [{"bearerAuth": []}]
BEARER_AUTH = {
    "type": "http", "scheme": "bearer",
    "description": "A party's API token (`feedbackgis tokens create --party NAME`), as "
                   "`Authorization: Bearer fgc_...`. It opens that party's work orders only.",
}
WEBHOOKS = (
    "\n\nContractor systems: `/api/v1/work-orders` with a party's API token. A party may "
    "also have a webhook: on assignment (`work_order.assigned`) and on every public change "
    "of its work orders (`work_order.status_changed`, `work_order.replied`) it gets a POST "
    "of JSON {event, delivery_id, report_id, status, updated_at, url, work_order, change, "
    "and contact only where the category shares it}, with `X-Feedbackgis-Timestamp` (Unix "
    "seconds), `X-Feedbackgis-Signature: sha256=<hex HMAC-SHA256 of \"<timestamp>.<body>\" "
    "with the party's secret>` and `X-Feedbackgis-Delivery` (the same on every retry). "
    "Any answer but 2xx is retried; redirects are not followed."
)
UNAUTHORIZED = {
    "description": "No token, not a Bearer token, or a token that is mistyped or revoked",
    "headers": {"WWW-Authenticate": {"description": 'Bearer realm="feedbackgis"',
                                     "schema": {"type": "string"}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
NOT_YOURS = "No such work order: no report, or not one assigned to the token's party"
CONFLICT = ("The state machine does not allow this change from the work order's current "
            "status (e.g. fixed -> waiting), or the work order takes no more photos")
PHOTO_ID = {"name": "photo_id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
STATUS_FILTER = {
    "name": "status", "in": "query", "style": "form", "explode": False,
    "description": "Only work orders in these statuses (comma-separated); without it, the "
                   "open ones (assigned, in_progress, waiting)",
    "schema": {"type": "array", "minItems": 1,
               "items": {"type": "string", "enum": list(WORK_ORDER_STATUSES)}},
}
SINCE = {"name": "since", "in": "query",
         "description": "Only work orders updated after this time (RFC 3339, with offset)",
         "schema": {"type": "string", "format": "date-time"}}
PAGE = {"name": "page", "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}}
PER_PAGE = {"name": "per_page", "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX,
                       "default": PER_PAGE_DEFAULT}}
THUMBNAIL = {"name": "thumbnail", "in": "query", "description": "1: the thumbnail (400 px)",
             "schema": {"type": "string", "enum": ["1"]}}
AFTER_PHOTO = {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": (
        "A photo of the work done: JPEG, PNG, WebP or HEIC/HEIF (judged by its content), "
        "checked and re-encoded without metadata like a resident's; at most "
        f"{AFTER_PHOTOS_MAX} a work order")}},
}


def work_order_paths(spec: APISpec, errors: dict[str, Any], json, report_id: dict,  # noqa: ANN001
                     idempotency_key: dict, lang: dict) -> None:
    """`errors` is openapi.py's ERRORS texts, `json(schema, description)` its response."""
    def responses(success: dict[str, Any], *codes: str, **texts: str) -> dict[str, Any]:
        error = {"$ref": "#/components/schemas/Error"}
        described = {code: json(error, texts.get(f"e{code}") or errors[code]) for code in codes}
        return {**success, "401": UNAUTHORIZED, **described}

    def body(name: str) -> dict[str, Any]:
        return {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{name}"}}}}

    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    spec.path(path="/api/v1/work-orders", operations={"get": {
        "summary": "The token's party's work orders, least recently updated first",
        "security": SECURITY, "parameters": [STATUS_FILTER, SINCE, PAGE, PER_PAGE, lang],
        "responses": responses({"200": json(ref("WorkOrderPage"), "A page of work orders")},
                               "422", "503"),
    }})
    spec.path(path="/api/v1/work-orders/{report_id}", operations={"get": {
        "summary": "One work order of the token's party", "security": SECURITY,
        "parameters": [report_id, lang],
        "responses": responses({"200": json(ref("WorkOrder"), "The work order")},
                               "404", "422", "503", e404=NOT_YOURS),
    }})
    changing = ("400", "404", "409", "413", "415", "422", "503")
    spec.path(path="/api/v1/work-orders/{report_id}/status", operations={"post": {
        "summary": "Report the work's progress: in_progress, waiting or fixed (a public "
                   f"change: the reporter is told). Others ({', '.join(CONTRACTOR_STATUSES)} "
                   "only) are refused with 422",
        "security": SECURITY, "parameters": [report_id, idempotency_key, lang],
        "requestBody": body("WorkOrderStatusIn"),
        "responses": responses({"200": json(ref("WorkOrder"), "Changed (or, for a resend "
                                                              "with the same key, before)")},
                               *changing, e404=NOT_YOURS, e409=CONFLICT),
    }})
    spec.path(path="/api/v1/work-orders/{report_id}/notes", operations={"post": {
        "summary": "Add an internal note for the city's staff (never public), at most "
                   f"{STAFF_TEXT_MAX_LENGTH} characters",
        "security": SECURITY, "parameters": [report_id, idempotency_key],
        "requestBody": body("WorkOrderNoteIn"),
        "responses": responses({"201": json(ref("WorkOrderNote"), "Added; Location names "
                                                                  "the work order")},
                               *changing, e404=NOT_YOURS, e409=CONFLICT),
    }})
    _photo_paths(spec, responses, json, ref, report_id)


def _photo_paths(spec: APISpec, responses, json, ref, report_id: dict) -> None:  # noqa: ANN001
    upload_errors = {
        "e400": "A malformed multipart body",
        "e404": NOT_YOURS, "e409": CONFLICT,
        "e413": "The photo has more bytes or pixels than are taken",
        "e415": "Not multipart/form-data, or not a JPEG, PNG, WebP or HEIC/HEIF photo by its "
                "content",
        "e422": "No file in the field `file`, or a picture that cannot be decoded",
    }
    spec.path(path="/api/v1/work-orders/{report_id}/photos", operations={"post": {
        "summary": "Add an after-photo (the work done) to the work order: the report's photo "
                   "from then on, shown where its photos are",
        "security": SECURITY, "parameters": [report_id],
        "requestBody": {"required": True,
                        "content": {"multipart/form-data": {"schema": AFTER_PHOTO}}},
        "responses": responses({"201": json(ref("WorkOrderPhoto"), "Attached")},
                               "400", "404", "409", "413", "415", "422", "503",
                               **upload_errors),
    }})
    spec.path(path="/api/v1/work-orders/{report_id}/photos/{photo_id}", operations={"get": {
        "summary": "A photo of the work order (re-encoded JPEG, no metadata; not one that "
                   "staff hid)",
        "security": SECURITY, "parameters": [report_id, PHOTO_ID, THUMBNAIL],
        "responses": responses({
            "200": {"description": "The photo", "content": {
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}}}},
            "304": {"description": "Not modified (If-None-Match)"},
        }, "404", "422", "503", e404="No such photo of the party's work order"),
    }})


def complete_work_order_schemas(components: dict[str, Any]) -> None:
    """What marshmallow says too loosely: the location and the contact (nullable objects)."""
    lon_lat = {"type": "object", "required": ["lon", "lat"],
               "properties": {"lon": {"type": "number"}, "lat": {"type": "number"}}}
    work_order = components["WorkOrder"]["properties"]
    work_order["location"] = {**lon_lat, "nullable": True,
                              "description": "Where it is, or null when only an address was "
                                             "given"}
    nullable_text = {"type": "string", "nullable": True}
    work_order["contact"] = {
        "type": "object", "nullable": True, "required": ["name", "email", "phone"],
        "properties": {"name": nullable_text, "email": nullable_text, "phone": nullable_text},
        "description": work_order["contact"].get("description", "")}
    components["WorkOrderStatusIn"]["additionalProperties"] = False
    components["WorkOrderNoteIn"]["additionalProperties"] = False

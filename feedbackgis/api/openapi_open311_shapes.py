"""The shapes of the Open311 answers in the OpenAPI document (openapi_open311.py): the
spec's fields as open311/ renders them to JSON. Texts the server does not have are "",
an unknown point or due date null; datetimes are W3C with the time zone's offset."""
from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


def _list(item: str) -> dict[str, Any]:
    return {"type": "array", "items": ref(item)}


TEXT = {"type": "string"}
W3C = {"type": "string", "format": "date-time"}
W3C_OR_NULL = {**W3C, "nullable": True}
NUMBER_OR_NULL = {"type": "number", "nullable": True}

ERROR = _object({"code": {"type": "integer"}, "description": TEXT})
DISCOVERY = _object({
    "changeset": W3C, "contact": TEXT, "key_service": TEXT,
    "endpoints": {"type": "array", "items": _object({
        "specification": TEXT, "url": TEXT, "changeset": W3C,
        "type": {"type": "string", "enum": ["production", "test"]},
        "formats": {"type": "array", "items": TEXT}})},
})
SERVICE = _object({
    "service_code": TEXT, "service_name": TEXT, "description": TEXT,
    "metadata": {"type": "boolean"},
    "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
    "keywords": TEXT, "group": TEXT,
})
ATTRIBUTE = _object({
    "variable": {"type": "boolean"}, "code": TEXT,
    "datatype": {"type": "string", "enum": ["string", "number", "datetime", "text",
                                            "singlevaluelist", "multivaluelist"]},
    "required": {"type": "boolean"}, "datatype_description": TEXT,
    "order": {"type": "integer"}, "description": TEXT,
    "values": {"type": "array", "items": _object({"key": TEXT, "name": TEXT})},
})
SERVICE_DEFINITION = _object({"service_code": TEXT, "attributes": _list("Open311Attribute")})
REQUEST_FIELDS = {
    "service_request_id": TEXT,
    "status": {"type": "string", "enum": ["open", "closed"]},
    "status_notes": TEXT, "service_name": TEXT, "service_code": TEXT, "description": TEXT,
    "agency_responsible": TEXT, "service_notice": TEXT,
    "requested_datetime": W3C, "updated_datetime": W3C, "expected_datetime": W3C_OR_NULL,
    "address": TEXT, "address_id": TEXT, "zipcode": TEXT,
    "lat": NUMBER_OR_NULL, "long": NUMBER_OR_NULL, "media_url": TEXT,
}
LOG_ENTRY = _object({"time": W3C, "status": TEXT, "note": TEXT})
EXTENDED = {**_object({
    "detailed_status": {**TEXT, "description": "Our own status: received, in_progress ..."},
    "log": {"type": "array", "items": LOG_ENTRY,
            "description": "The public events, oldest first: status changes and replies"},
    "media_urls": {"type": "array", "items": TEXT, "description": "Every public photo"},
}), "description": "With extensions=true only (6Aika, CitySDK)"}
REQUEST = _object({**REQUEST_FIELDS, "extended_attributes": EXTENDED},
                  required=list(REQUEST_FIELDS))
CREATED = _object({
    "service_request_id": TEXT, "token": TEXT, "service_notice": TEXT,
    "account_id": {"type": "string", "nullable": True},
}, required=["service_notice"])
TOKEN = _object({"service_request_id": TEXT, "token": TEXT})
UPDATE = _object({
    "update_id": TEXT, "service_request_id": TEXT,
    "status": {**TEXT, "description": "mySociety's word: OPEN, IN_PROGRESS, FIXED, CLOSED ..."},
    "updated_datetime": W3C, "description": TEXT, "media_url": TEXT,
})
UPDATE_ACCEPTED = _object({"update_id": {
    **TEXT, "minLength": 1, "description": "Our id of the update, never empty and the same "
    "on a repeat: the id of the event it made (GET lists it), or for an update that changed "
    "nothing 'r' and the id of our record of it"}})

# Open311Attribute before Open311ServiceDefinition, which refers to it.
SCHEMAS = {
    "Open311Error": ERROR,
    "Open311Errors": _list("Open311Error"),
    "Open311Discovery": DISCOVERY,
    "Open311Service": SERVICE,
    "Open311Services": _list("Open311Service"),
    "Open311Attribute": ATTRIBUTE,
    "Open311ServiceDefinition": SERVICE_DEFINITION,
    "Open311Request": REQUEST,
    "Open311Requests": _list("Open311Request"),
    "Open311Created": _list("Open311CreatedRequest"),
    "Open311CreatedRequest": CREATED,
    "Open311Tokens": _list("Open311Token"),
    "Open311Token": TOKEN,
    "Open311Updates": _list("Open311Update"),
    "Open311Update": UPDATE,
    "Open311UpdateAccepted": _list("Open311AcceptedUpdate"),
    "Open311AcceptedUpdate": UPDATE_ACCEPTED,
}

"""The Open311 GeoReport v2 part of the OpenAPI document: the JSON side of /open311/v2/.

Each resource is served as .json and .xml (the suffix chooses); only the .json paths are
written here, as concrete paths, because OpenAPI cannot say "either suffix" and the fuzz
test (tests/e2e/test_api_fuzzing.py) reads JSON. The parameters are the spec's, with the
Helsinki/6Aika extensions of GET requests and mySociety's servicerequestupdates. Every error
is the spec's list of {code, description}, with the same HTTP status (open311/errors.py).
Parameters the server does not know are ignored, as the spec's clients expect.
"""
from __future__ import annotations

from typing import Any

from apispec import APISpec

from feedbackgis.api.openapi_open311_shapes import SCHEMAS, ref
from feedbackgis.domain.limits import ADDRESS_MAX_LENGTH, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from feedbackgis.schemas.open311 import MAX_DEPTH, MAX_RADIUS_M
from feedbackgis.schemas.open311_submission import (
    CLIENT_ID_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MEDIA_URL_MAX_LENGTH,
)
from feedbackgis.schemas.open311_updates import STATUS_MAX_LENGTH
from feedbackgis.services.open311.received_updates import UPDATE_ID_MAX_LENGTH
from feedbackgis.services.open311.requests import MAX_REQUESTS

PREFIX = "/open311/v2"
ERRORS = {
    "400": "Bad input: the description names the parameter and what is wrong",
    "403": "No api_key, or one that is unknown or revoked",
    "404": "No such resource, service, request or token, or another jurisdiction_id",
    "429": "Too many requests (reads: from this address; writes: with this api_key); "
           "Retry-After says when to try again",
    "503": "The database is briefly unavailable; try again (Retry-After)",
}
READ_ERRORS = ("400", "404", "429", "503")
WRITE_ERRORS = ("400", "403", "404", "429", "503")


def _query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description,
            **extra}


JURISDICTION = _query("jurisdiction_id", {"type": "string"},
                      "This server's jurisdiction (discovery); another one is refused with "
                      "404. May be left out.")
LOCALE = _query("locale", {"type": "string", "enum": ["fi", "sv", "en"], "default": "fi"},
                "The language of names and texts")
W3C = {"type": "string", "format": "date-time"}
REQUESTS_QUERY = [
    JURISDICTION, LOCALE,
    _query("service_request_id", {"type": "string", "pattern": r"^[0-9]+(,[0-9]+)*$"},
           "Request ids, comma-separated (at most 1,000); overrides every other filter"),
    _query("service_code", {"type": "string", "minLength": 1, "maxLength": 64},
           "Only requests of this service"),
    _query("status", {"type": "string", "pattern": r"^(open|closed)(,(open|closed))*$"},
           "open, closed, or both comma-separated"),
    _query("start_date", W3C, "Requested at or after (W3C datetime; at most 90 days before "
                              "end_date)"),
    _query("end_date", W3C, "Requested at or before (W3C datetime)"),
    _query("updated_after", W3C, "Updated at or after (W3C datetime)"),
    _query("updated_before", W3C, "Updated at or before (W3C datetime)"),
    _query("bbox", {"type": "array", "minItems": 4, "maxItems": 4,
                    "items": {"type": "number", "minimum": -180, "maximum": 180}},
           "minlon,minlat,maxlon,maxlat in degrees (WGS 84); a reversed box or a latitude "
           "outside -90..90 is refused. Requests without a point are never in a box.",
           style="form", explode=False),
    _query("lat", {"type": "number", "minimum": -90, "maximum": 90},
           "With long and radius: requests within radius metres of the point"),
    _query("long", {"type": "number", "minimum": -180, "maximum": 180}, "See lat"),
    _query("radius", {"type": "number", "exclusiveMinimum": True, "minimum": 0,
                      "maximum": MAX_RADIUS_M}, "Metres, with lat and long"),
    _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_DEPTH, "default": 1},
           f"The page, from 1. page × page_size is at most {MAX_DEPTH:,} (a deeper page is "
           "a 400 naming page): to go further, narrow the query (bbox, dates, "
           "updated_after)"),
    _query("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_REQUESTS,
                         "default": MAX_REQUESTS}, "Requests a page"),
    _query("extensions", {"type": "boolean", "default": False},
           "true: each request also has extended_attributes (detailed_status, the public "
           "log, media_urls)"),
]
UPDATES_QUERY = [
    JURISDICTION,
    _query("api_key", {"type": "string"}, "Accepted and ignored (FixMyStreet sends it); "
                                          "reads need none"),
    _query("start_date", W3C, "Updated at or after (W3C datetime; at most 90 days before "
                              "end_date)"),
    _query("end_date", W3C, "Updated at or before (W3C datetime)"),
    _query("service_request_id", {"type": "string", "pattern": r"^[0-9]+(,[0-9]+)*$"},
           "Only the updates of these requests (comma-separated); without dates, all of "
           "theirs"),
]


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "minLength": 1}}


def _form(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required}
    return {"required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": schema}}}


def _text(max_length: int | None = None, **extra: Any) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "string", **extra}
    if max_length is not None:
        shape["maxLength"] = max_length
    return shape


REQUEST_FORM = _form({
    "api_key": _text(description="The client system's key (admins give it)"),
    "jurisdiction_id": _text(),
    "service_code": _text(description="The service (GET services.json)"),
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "long": {"type": "number", "minimum": -180, "maximum": 180},
    "address_string": _text(ADDRESS_MAX_LENGTH,
                            description="The place in words, when there is no lat+long"),
    "address_id": _text(CLIENT_ID_MAX_LENGTH, description="An address id of the client's "
                        "own register; taken as an address text for staff to pin"),
    "email": _text(EMAIL_MAX_LENGTH, format="email"),
    "first_name": _text(NAME_MAX_LENGTH), "last_name": _text(NAME_MAX_LENGTH),
    "phone": _text(), "consent": {"type": "boolean", "description": "Whether the person "
                                  "agreed to be contacted about the report"},
    "device_id": _text(CLIENT_ID_MAX_LENGTH), "account_id": _text(CLIENT_ID_MAX_LENGTH),
    "media_url": _text(MEDIA_URL_MAX_LENGTH, format="uri",
                       description="An http(s) address of a photo, fetched later"),
    "description": _text(DESCRIPTION_MAX_LENGTH),
    "locale": {"type": "string", "enum": ["fi", "sv", "en"]},
}, ["api_key", "service_code"])
UPDATE_FORM = _form({
    "api_key": _text(description="The sending system's key"),
    "jurisdiction_id": _text(),
    "service_request_id": _text(description="Our id of the request"),
    "update_id": _text(UPDATE_ID_MAX_LENGTH, minLength=1, description="The sender's own id "
                       "of the update (printable characters); a repeat is applied once"),
    "update_id_ext": _text(UPDATE_ID_MAX_LENGTH, minLength=1, description="FixMyStreet's "
                           "extended updates: taken for update_id when that is missing"),
    "service_request_id_ext": _text(description="FixMyStreet's own id of the request: "
                                    "ignored (service_request_id is ours)"),
    "updated_datetime": {**W3C, "description": "Without an offset: the municipality's local "
                         "time"},
    "status": _text(STATUS_MAX_LENGTH, description="mySociety's status word (OPEN, CLOSED, "
                    "FIXED, IN_PROGRESS ...), case-insensitive"),
    "description": _text(DESCRIPTION_MAX_LENGTH),
    "email": _text(description="The sender's person; never shown"),
    "first_name": _text(), "last_name": _text(),
    "media_url": _text(MEDIA_URL_MAX_LENGTH, format="uri"),
}, ["api_key", "service_request_id"])


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"200": {"description": description,
                    "content": {"application/json": {"schema": ref(schema)}}}}


def _responses(success: dict[str, Any], errors: tuple[str, ...]) -> dict[str, Any]:
    failed = {code: {"description": ERRORS[code],
                     "content": {"application/json": {"schema": ref("Open311Errors")}}}
              for code in errors}
    return {**success, **failed}


def _get(summary: str, parameters: list[dict[str, Any]], schema: str,
         errors: tuple[str, ...] = READ_ERRORS) -> dict[str, Any]:
    return {"get": {"summary": summary, "tags": ["Open311"], "parameters": parameters,
                    "responses": _responses(_ok(schema, summary), errors)}}


def _post(summary: str, body: dict[str, Any], schema: str) -> dict[str, Any]:
    return {"summary": summary, "tags": ["Open311"], "requestBody": body,
            "responses": _responses(_ok(schema, "Accepted"), WRITE_ERRORS)}


def open311_paths(spec: APISpec) -> None:
    for name, shape in SCHEMAS.items():
        spec.components.schema(name, shape)
    code = _path("service_code", "The service's code")
    spec.path(path=f"{PREFIX}/discovery.json", operations=_get(
        "What this server offers", [JURISDICTION], "Open311Discovery", ("404", "429", "503")))
    spec.path(path=f"{PREFIX}/services.json", operations=_get(
        "The services (active categories)", [JURISDICTION, LOCALE], "Open311Services"))
    spec.path(path=f"{PREFIX}/services/{{service_code}}.json", operations=_get(
        "A service's attributes (its extra questions)", [code, JURISDICTION, LOCALE],
        "Open311ServiceDefinition"))
    requests = _get("Public service requests, newest first (without a filter: the last 90 "
                    "days, at most 1,000)", REQUESTS_QUERY, "Open311Requests")
    requests["post"] = _post(
        "Create a service request (a report). Extra questions as attribute[code]=value "
        "(not listed here); a location as lat+long, address_string or address_id.",
        REQUEST_FORM, "Open311Created")
    spec.path(path=f"{PREFIX}/requests.json", operations=requests)
    spec.path(path=f"{PREFIX}/requests/{{service_request_id}}.json", operations=_get(
        "One public service request", [_path("service_request_id", "The request's id"),
                                       JURISDICTION, LOCALE, REQUESTS_QUERY[-1]],
        "Open311Requests"))
    spec.path(path=f"{PREFIX}/tokens/{{token}}.json", operations=_get(
        "The request a POST's token became", [_path("token", "The token of a POST"),
                                               JURISDICTION], "Open311Tokens"))
    updates = _get("Public updates of public requests, oldest first, at most 1,000 "
                   "(mySociety)", UPDATES_QUERY, "Open311Updates")
    updates["post"] = _post("A system sends an update of a request back (mySociety)",
                            UPDATE_FORM, "Open311UpdateAccepted")
    spec.path(path=f"{PREFIX}/servicerequestupdates.json", operations=updates)

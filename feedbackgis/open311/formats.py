"""GeoReport v2's two formats: one body from plain dicts and lists, as JSON or as XML.

The spec's XML names each list's items by the list (services/service, service_requests/
request, attributes/attribute ...); JSON is the same data, lists as arrays. Datetimes are
W3C (ISO 8601) with the time zone's offset, booleans `true`/`false`, nothing an empty string
(XML) or null (JSON).
"""
from __future__ import annotations

import json
import re
from datetime import datetime, tzinfo
from typing import Any
from xml.etree import ElementTree

from flask import Response

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element of each item of a list, by the list's element.
ITEM_ELEMENTS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "service_request_updates": "request_update",  # mySociety's servicerequestupdates
    # extended_attributes of a request (extensions=true), as 6Aika's server names them.
    "log": "entry",
    "media_urls": "media_url",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'


def w3c_datetime(moment: datetime, zone: tzinfo) -> str:
    """`2026-12-01T17:28:23+02:00`: whole seconds, the offset of the municipality's zone."""
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def render(body: Any, fmt: str, root: str, zone: tzinfo, status: int = 200) -> Response:
    """The response of `body` (a dict or a list) in `fmt` ("json" or "xml"); `root` is the XML
    document element (for a list, the list's element, e.g. "services")."""
    if fmt == "xml":
        element = _element(root, body, zone)
        data = XML_DECLARATION + ElementTree.tostring(element, encoding="unicode").encode()
    else:
        # json walks the body in C; only datetimes come back to Python (a page of 1,000
        # requests is the heavy answer).
        data = json.dumps(body, ensure_ascii=False,
                          default=lambda value: _json_value(value, zone)).encode()
    return Response(data, status=status, content_type=FORMATS[fmt])


def _json_value(value: Any, zone: tzinfo) -> str:
    if isinstance(value, datetime):
        return w3c_datetime(value, zone)
    raise TypeError(f"Not JSON: {type(value).__name__}")


def _element(name: str, value: Any, zone: tzinfo) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, dict):
        for key, inner in value.items():
            element.append(_element(key, inner, zone))
    elif isinstance(value, (list, tuple)):
        item = ITEM_ELEMENTS.get(name, "item")
        for inner in value:
            element.append(_element(item, inner, zone))
    else:
        element.text = _text(w3c_datetime(value, zone) if isinstance(value, datetime)
                             else value)
    return element


# What XML 1.0 cannot hold (control characters but tab and line ends, lone surrogates,
# U+FFFE/U+FFFF): replaced, so that a report's text can never break a client's parser.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))

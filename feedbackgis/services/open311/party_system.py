"""Talking to a party's own Open311 GeoReport v2 system: POST requests, GET tokens/{token}
and GET servicerequestupdates, in JSON.

The api_key travels in the form (POST) or the query (GET), as the spec has it, so neither the
URL of a GET nor the key ever goes into an error text or a log line: errors name the party,
the call and the answer's status, the kind of a network error, or the description of the
spec's errors list that the system answered, with the party's key taken out should the
system quote it, and capped (`redacted`).

An answer is read as a stream, at most ANSWER_MAX_BYTES and within one deadline for the
whole body (the timeout of requests bounds each read, not their sum), so a system that
answers without end, or a byte at a time, cannot hold a worker.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

import requests

from feedbackgis.models import Party

USER_AGENT = "feedbackgis-open311/1"
ERROR_TEXT_LIMIT = 500
ANSWER_MAX_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class Open311CallFailed(Exception):
    """The party's system did not answer as the spec says; the text is safe to log."""


@dataclass(frozen=True)
class Created:
    """What POST requests answered: the system's id of the request, or a token until then."""

    service_request_id: str | None
    token: str | None


def endpoint(party: Party, path: str) -> str:
    return f"{(party.open311_url or '').rstrip('/')}/{path}"


def redacted(party: Party, text: str, limit: int = ERROR_TEXT_LIMIT) -> str:
    """`text` safe to keep and log: without the party's key (a system may quote what it
    was sent), control characters or more than `limit` characters."""
    key = party.open311_api_key
    if key:
        # As sent, and as a URL or a form carries it (an echoed query string).
        for written in {key, quote_plus(key), quote(key, safe="")}:
            text = text.replace(written, "[api_key]")
    return _CONTROL.sub(" ", text)[:limit]


def idempotency_key(report_id: int, party_id: int, assignment: int) -> str:
    """The same for every attempt of one delivery of one assignment: a system that took a
    request whose answer we lost (a timeout) answers it again instead of a second one."""
    return f"feedbackgis-{report_id}-{party_id}-{assignment}"


def post_request(party: Party, form: dict[str, str], timeout: float, *,
                 idempotency: str | None = None) -> Created:
    """POST requests.json with `form` and the party's key; Open311CallFailed unless the
    answer holds a service_request_id or a token."""
    body = {**form, "api_key": party.open311_api_key or ""}
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if idempotency:
        headers["Idempotency-Key"] = idempotency
    answer = _call(party, "POST requests", timeout, lambda: requests.post(
        endpoint(party, "requests.json"), data=body, timeout=timeout, allow_redirects=False,
        stream=True, headers=headers))
    first = _first_item(party, "POST requests", answer)
    request_id = plain_text(first.get("service_request_id"))
    token = plain_text(first.get("token"))
    if request_id is None and token is None:
        raise Open311CallFailed(f"Open311 POST requests of party {party.id}: the answer has "
                                f"neither a service_request_id nor a token (of at most "
                                f"{ID_MAX_LENGTH} characters)")
    return Created(request_id, token)


def get_json(party: Party, path: str, params: dict[str, str], timeout: float) -> Any:
    """GET `path` with the party's key and jurisdiction in the query; the JSON answered."""
    query = {**params, "api_key": party.open311_api_key or ""}
    if party.open311_jurisdiction_id:
        query["jurisdiction_id"] = party.open311_jurisdiction_id
    call = f"GET {path.split('/')[0]}"
    answer = _call(party, call, timeout, lambda: requests.get(
        endpoint(party, path), params=query, timeout=timeout, allow_redirects=False,
        stream=True, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}))
    return _json(party, call, answer)


@dataclass(frozen=True)
class _Answer:
    status_code: int
    content: bytes


def _call(party: Party, call: str, timeout: float, send: Any) -> _Answer:
    try:
        with send() as response:
            answer = _Answer(response.status_code, read_capped(response, timeout))
    except requests.RequestException as exc:
        # Only the kind: requests' own message quotes the URL, and a GET's URL has the key.
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: "
                                f"{type(exc).__name__}") from None
    except _TooMuch as exc:
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: {exc}") from None
    if not 200 <= answer.status_code < 300:
        described = _described_errors(answer)
        raise Open311CallFailed(redacted(party, f"Open311 {call} of party {party.id}: HTTP "
                                f"{answer.status_code}" + (f": {described}" if described else "")))
    return answer


class _TooMuch(Exception):
    """The answer was longer than ANSWER_MAX_BYTES or slower than its deadline."""


def read_capped(response: requests.Response, timeout: float,
                max_bytes: int = ANSWER_MAX_BYTES) -> bytes:
    """The body of a streamed answer: at most max_bytes, all of it within `timeout` more
    seconds (on top of each read's own timeout)."""
    deadline = time.monotonic() + timeout
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise _TooMuch(f"an answer of more than {max_bytes} bytes")
    body = bytearray()
    for chunk in response.iter_content(CHUNK_BYTES):
        body += chunk
        if len(body) > max_bytes:
            raise _TooMuch(f"an answer of more than {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise _TooMuch(f"an answer not read whole within {timeout:g} s")
    return bytes(body)


def _parsed(answer: _Answer) -> Any:
    return json.loads(answer.content.decode("utf-8"))


def _json(party: Party, call: str, answer: _Answer) -> Any:
    try:
        return _parsed(answer)
    except ValueError:
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: the answer is not "
                                "JSON") from None


def _first_item(party: Party, call: str, answer: _Answer) -> dict[str, Any]:
    body = _json(party, call, answer)
    first = body[0] if isinstance(body, list) and body else body
    if not isinstance(first, dict):
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: an answer of an "
                                "unexpected shape")
    described = _errors_of(body)
    if described:  # a 2xx that still carries the spec's errors list
        raise Open311CallFailed(redacted(party, f"Open311 {call} of party {party.id}: "
                                            f"{described}"))
    return first


def _described_errors(answer: _Answer) -> str | None:
    try:
        return _errors_of(_parsed(answer))
    except ValueError:
        return None


def _errors_of(body: Any) -> str | None:
    """The descriptions of the spec's errors list ([{"code", "description"}]), if it is one."""
    items = body.get("errors", body) if isinstance(body, dict) else body
    if not isinstance(items, list):
        return None
    described = [f"{item.get('code', '')} {item.get('description', '')}".strip()
                 for item in items
                 if isinstance(item, dict) and "description" in item
                 and "service_request_id" not in item and "token" not in item]
    # Cut only by redacted(), after the key is taken out: a cut before could leave part of it.
    return "; ".join(described) or None


# The longest id or token of another system we keep (open311_delivery's columns).
ID_MAX_LENGTH = 200


def plain_text(value: Any, limit: int | None = ID_MAX_LENGTH) -> str | None:
    """A value another system sent as text (JSON may give an id as a number), without
    control characters; None for nothing, for a structure, or for text over `limit` (an
    id cut short could name another one)."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = _CONTROL.sub("", str(value)).strip()
    return text if text and (limit is None or len(text) <= limit) else None

"""Talking to a party's own Open311 GeoReport v2 system: POST requests, GET tokens/{token}
and GET servicerequestupdates, in JSON.

The api_key travels in the form (POST) or the query (GET), as the spec has it, so neither the
URL of a GET nor the key ever goes into an error text or a log line: errors name the party,
the call and the answer's status, the kind of a network error, or the description of the
spec's errors list that the system answered.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from feedbackgis.models import Party

USER_AGENT = "feedbackgis-open311/1"
ERROR_TEXT_LIMIT = 500


class Open311CallFailed(Exception):
    """The party's system did not answer as the spec says; the text is safe to log."""


@dataclass(frozen=True)
class Created:
    """What POST requests answered: the system's id of the request, or a token until then."""

    service_request_id: str | None
    token: str | None


def endpoint(party: Party, path: str) -> str:
    return f"{(party.open311_url or '').rstrip('/')}/{path}"


def post_request(party: Party, form: dict[str, str], timeout: float) -> Created:
    """POST requests.json with `form` and the party's key; Open311CallFailed unless the
    answer holds a service_request_id or a token."""
    body = {**form, "api_key": party.open311_api_key or ""}
    answer = _call(party, "POST requests", lambda: requests.post(
        endpoint(party, "requests.json"), data=body, timeout=timeout, allow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"}))
    first = _first_item(party, "POST requests", answer)
    request_id, token = _text(first.get("service_request_id")), _text(first.get("token"))
    if request_id is None and token is None:
        raise Open311CallFailed(f"Open311 POST requests of party {party.id}: the answer has "
                                "neither a service_request_id nor a token")
    return Created(request_id, token)


def get_json(party: Party, path: str, params: dict[str, str], timeout: float) -> Any:
    """GET `path` with the party's key and jurisdiction in the query; the JSON answered."""
    query = {**params, "api_key": party.open311_api_key or ""}
    if party.open311_jurisdiction_id:
        query["jurisdiction_id"] = party.open311_jurisdiction_id
    call = f"GET {path.split('/')[0]}"
    answer = _call(party, call, lambda: requests.get(
        endpoint(party, path), params=query, timeout=timeout, allow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"}))
    return _json(party, call, answer)


def _call(party: Party, call: str, send: Any) -> requests.Response:
    try:
        answer = send()
    except requests.RequestException as exc:
        # Only the kind: requests' own message quotes the URL, and a GET's URL has the key.
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: "
                                f"{type(exc).__name__}") from None
    if not 200 <= answer.status_code < 300:
        described = _described_errors(answer)
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: HTTP "
                                f"{answer.status_code}" + (f": {described}" if described else ""))
    return answer


def _json(party: Party, call: str, answer: requests.Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: the answer is not "
                                "JSON") from None


def _first_item(party: Party, call: str, answer: requests.Response) -> dict[str, Any]:
    body = _json(party, call, answer)
    first = body[0] if isinstance(body, list) and body else body
    if not isinstance(first, dict):
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: an answer of an "
                                "unexpected shape")
    described = _errors_of(body)
    if described:  # a 2xx that still carries the spec's errors list
        raise Open311CallFailed(f"Open311 {call} of party {party.id}: {described}")
    return first


def _described_errors(answer: requests.Response) -> str | None:
    try:
        return _errors_of(answer.json())
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
    return "; ".join(described)[:ERROR_TEXT_LIMIT] or None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = str(value).strip()
    return text[:200] or None

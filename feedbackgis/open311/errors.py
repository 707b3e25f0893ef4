"""GeoReport v2 errors: the spec's list of {code, description}, with the same HTTP status,
in the format the request asked for (JSON when its suffix was not one of ours).

400 bad input (a marshmallow error names the parameter), 403 a refused api_key, 404 an
unknown resource, service or id. Beyond the spec's three, the statuses a client acts on keep
their code: 405 a method the resource does not take (with Allow: the honest answer, which a
client can tell apart from bad input), 429 too many requests (Retry-After), 503 (Retry-After).
Any other HTTP error (a body too large ...) is bad input, 400.
"""
from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, request
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from feedbackgis.errors import Forbidden, NotFound, ServiceError, flatten_messages
from feedbackgis.open311.formats import render

log = logging.getLogger(__name__)


def error_response(status: int, description: str) -> Response:
    fmt = g.get("open311_format", "json")
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return render([{"code": status, "description": description}], fmt, "errors", zone,
                  status=status)


# The HTTP statuses an error keeps (and every 5xx); any other is a 400.
KEPT_STATUSES = frozenset({400, 403, 404, 405, 429})


def http_error_response(exc: HTTPException) -> Response:
    """An HTTP error (routing's 404 and 405, a rate limit's 429 ...) as the spec's errors."""
    status = exc.code or 400
    status = status if status in KEPT_STATUSES or status >= 500 else 400
    allowed = sorted(getattr(exc, "valid_methods", None) or [])
    if status == 405 and allowed:
        description = f"{request.method} is not allowed here; use {', '.join(allowed)}."
    else:
        description = exc.description or exc.name
    response = error_response(status, description)
    if status == 405 and allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def _status_of(exc: ServiceError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Forbidden) or exc.status_code in (401, 403):
        return 403
    return 400


def register_error_handlers(blueprint: Blueprint) -> None:
    @blueprint.errorhandler(ValidationError)
    def _validation(exc: ValidationError) -> Response:
        fields = flatten_messages(exc.messages)
        return error_response(400, "; ".join(f"{name}: {' '.join(texts)}"
                                             for name, texts in fields.items()))

    @blueprint.errorhandler(ServiceError)
    def _service(exc: ServiceError) -> Response:
        text = f"{exc.field}: {exc.message}" if exc.field else exc.message
        return error_response(_status_of(exc), text)

    @blueprint.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        return http_error_response(exc)

    @blueprint.errorhandler(OperationalError)
    def _database_unavailable(exc: OperationalError) -> Response:
        log.warning("Database unavailable on %s %s", request.method,
                    request.url_rule.rule if request.url_rule else "(no route)")
        response = error_response(503, "The service is briefly unavailable. Try again in a "
                                       "moment.")
        response.headers["Retry-After"] = "5"
        return response

    @blueprint.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("Unhandled error on %s %s", request.method,
                      request.url_rule.rule if request.url_rule else "(no route)")
        return error_response(500, "Something went wrong on our side.")

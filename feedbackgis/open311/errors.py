"""GeoReport v2 errors: the spec's list of {code, description}, with the same HTTP status,
in the format the request asked for (JSON when its suffix was not one of ours).

400 bad input (a marshmallow error names the parameter), 403 a refused api_key, 404 an
unknown resource, service or id.
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
        status = exc.code or 400
        # The spec knows 400, 403 and 404; a wrong method or a too large body is bad input.
        status = status if status in (400, 403, 404) or status >= 500 else 400
        return error_response(status, exc.description or exc.name)

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

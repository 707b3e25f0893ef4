"""Typed errors of the service layer and the handlers that turn every error into a response.

API paths always answer JSON: {"error": code, "message": text, "fields": {name: [text]}}.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError

from feedbackgis.i18n import request_language

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """An error a caller can act on; the message is safe to show to the user."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    status_code = 422
    code = "validation_failed"


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class Conflict(ServiceError):
    status_code = 409
    code = "conflict"


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> tuple[Response, int] | tuple[str, int]:
    if _wants_json():
        body: dict[str, object] = {"error": code, "message": message}
        if fields:
            body["fields"] = fields
        return jsonify(body), status
    page = render_template("error.html", status=status, message=message, lang=request_language())
    return page, status


def _flatten(messages: object) -> dict[str, list[str]]:
    """marshmallow's nested messages as {"location.lon": ["..."]}."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            flat.setdefault(prefix or "_body", []).extend(value)
        else:
            flat.setdefault(prefix or "_body", []).append(str(value))

    walk("", messages)
    return flat


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):  # noqa: ANN202
        fields = _flatten(exc.messages)
        summary = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
        return error_response(422, "validation_failed", f"Invalid input. {summary}", fields)

    @app.errorhandler(ServiceError)
    def _service(exc: ServiceError):  # noqa: ANN202
        fields = {exc.field: [exc.message]} if exc.field else None
        return error_response(exc.status_code, exc.code, exc.message, fields)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # noqa: ANN202
        code = (exc.name or "error").lower().replace(" ", "_")
        response = error_response(exc.code or 500, code, exc.description or exc.name)
        if exc.code == 405 and exc.valid_methods:
            body, status = response
            if isinstance(body, Response):
                body.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # noqa: ANN202
        # The route's rule, not the path: paths carry capability tokens (/follow/<token>).
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        log.exception("Unhandled error on %s %s", request.method, rule)
        return error_response(500, "internal_error", InternalServerError.description)

"""Typed errors of the service layer and the handlers that turn every error into a response.

API paths always answer JSON: {"error": code, "message": text, "fields": {name: [text]}}.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from feedbackgis.i18n import N_, request_language

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """An error a caller can act on; the message is safe to show to the user."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, field: str | None = None, *,
                 fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # Several fields at once (e.g. every wrong answer of a form), instead of `field`.
        self.fields = fields


class InvalidInput(ServiceError):
    status_code = 422
    code = "validation_failed"


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class Unauthorized(ServiceError):
    """No valid credentials (a bearer token of the API); `challenge` is the answer's
    WWW-Authenticate header, which tells the client how to authenticate."""

    status_code = 401
    code = "unauthorized"

    def __init__(self, message: str, *, challenge: str) -> None:
        super().__init__(message)
        self.challenge = challenge


class Forbidden(ServiceError):
    status_code = 403
    code = "forbidden"


class Conflict(ServiceError):
    status_code = 409
    code = "conflict"


class TooLarge(ServiceError):
    """Content over a limit (bytes, pixels); the same code as werkzeug's own 413."""

    status_code = 413
    code = "request_entity_too_large"


class UnsupportedMedia(ServiceError):
    """Content of a kind the operation does not take, judged by the content itself."""

    status_code = 415
    code = "unsupported_media_type"


PAGE_MESSAGES = {
    400: N_("The request could not be handled. Go back, reload the page and try again."),
    403: N_("Your role does not allow this. Ask an administrator if you need it."),
    404: N_("There is no such page. Check the address, or start from the front page."),
    405: N_("The request could not be handled. Go back, reload the page and try again."),
    409: N_("The report has changed meanwhile. Go back and reload the page."),
    413: N_("What was sent is too large. A photo may be at most 10 MB."),
    429: N_("Too many tries from this connection in a short time. Wait a minute and try "
            "again."),
    500: N_("Something went wrong on our side. Try again in a moment."),
    503: N_("The service is briefly unavailable. Try again in a moment."),
}


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
    # A page speaks the reader's language and says what to do; the English detail is the
    # API's (and the developer's), not the resident's.
    text = PAGE_MESSAGES.get(status, PAGE_MESSAGES[500] if status >= 500 else PAGE_MESSAGES[400])
    page = render_template("error.html", status=status, message=gettext(text),
                           lang=request_language())
    return page, status


def flatten_messages(messages: object) -> dict[str, list[str]]:
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


RETRY_AFTER_SECONDS = 5


def _rule() -> str:
    # The route's rule, not the path: paths carry capability tokens (/follow/<token>).
    return request.url_rule.rule if request.url_rule else "(no route)"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):  # noqa: ANN202
        fields = flatten_messages(exc.messages)
        summary = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
        return error_response(422, "validation_failed", f"Invalid input. {summary}", fields)

    @app.errorhandler(ServiceError)
    def _service(exc: ServiceError):  # noqa: ANN202
        fields = exc.fields or ({exc.field: [exc.message]} if exc.field else None)
        response = error_response(exc.status_code, exc.code, exc.message, fields)
        if isinstance(exc, Unauthorized):
            return (*response, {"WWW-Authenticate": exc.challenge})
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # noqa: ANN202
        code = (exc.name or "error").lower().replace(" ", "_")
        response = error_response(exc.code or 500, code, exc.description or exc.name)
        if exc.code == 405 and exc.valid_methods:
            body, status = response
            if isinstance(body, Response):
                body.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(OperationalError)
    def _database_unavailable(exc: OperationalError):  # noqa: ANN202
        # The database went away or refused (restart, failover, network, overload): the
        # transaction did not commit, and the same request may be sent again (with its
        # Idempotency-Key, safely).
        log.warning("Database unavailable on %s %s: %s", request.method, _rule(),
                    type(exc.orig).__name__ if exc.orig else type(exc).__name__)
        response = error_response(
            503, "service_unavailable",
            "The service is briefly unavailable. Try again in a moment; a report sent again "
            "with the same Idempotency-Key is stored only once.")
        body, status = response
        if isinstance(body, Response):
            body.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return body, status
        return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # noqa: ANN202
        log.exception("Unhandled error on %s %s", request.method, _rule())
        return error_response(500, "internal_error", InternalServerError.description)

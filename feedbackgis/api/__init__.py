"""JSON API blueprints: load -> service -> dump."""
from flask import Blueprint, request

from feedbackgis.errors import InvalidInput
from feedbackgis.extensions import csrf
from feedbackgis.i18n import LANGUAGES
from feedbackgis.url_converters import DATABASE_ID_MAX, register_id_converter

api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
# No cookies, no sessions: a cross-site page cannot act as anyone through the API, so it
# needs no CSRF token (and other systems could not send one).
csrf.exempt(api_blueprint)

# Registered before the route modules below add their rules, which use <id:...>.
api_blueprint.record_once(register_id_converter)


@api_blueprint.before_request
def _refuse_unknown_language() -> None:
    """The API says lang is one of fi, sv, en; another value is an error, not ignored."""
    asked = request.args.get("lang")
    if asked is not None and asked not in LANGUAGES:
        raise InvalidInput(f"Must be one of {', '.join(LANGUAGES)}.", field="lang")


# Route modules register themselves on the blueprint.
from feedbackgis.api import (  # noqa: E402, F401
    catalog,
    nearby,
    openapi,
    photos,
    public_map,
    reports,
    subscriptions,
    work_orders,
)
from feedbackgis.api.health import health_blueprint  # noqa: E402
from feedbackgis.api.photos import photo_files_blueprint  # noqa: E402

__all__ = ["DATABASE_ID_MAX", "api_blueprint", "health_blueprint", "photo_files_blueprint"]

"""JSON API blueprints: load -> service -> dump."""
from flask import Blueprint, request
from werkzeug.routing import IntegerConverter

from feedbackgis.errors import InvalidInput
from feedbackgis.extensions import csrf
from feedbackgis.i18n import LANGUAGES

api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
# No cookies, no sessions: a cross-site page cannot act as anyone through the API, so it
# needs no CSRF token (and other systems could not send one).
csrf.exempt(api_blueprint)

# Ids are PostgreSQL integers: anything else in a path (a letter, a sign, 10**30) is no such
# resource, a 404, rather than an "integer out of range" from the database.
DATABASE_ID_MAX = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002, ANN001, ANN002, ANN003
        super().__init__(map, min=1, max=DATABASE_ID_MAX)


# Registered before the route modules below add their rules, which use <id:...>.
api_blueprint.record_once(
    lambda state: state.app.url_map.converters.setdefault("id", DatabaseIdConverter))


@api_blueprint.before_request
def _refuse_unknown_language() -> None:
    """The API says lang is one of fi, sv, en; another value is an error, not ignored."""
    asked = request.args.get("lang")
    if asked is not None and asked not in LANGUAGES:
        raise InvalidInput(f"Must be one of {', '.join(LANGUAGES)}.", field="lang")


# Route modules register themselves on the blueprint.
from feedbackgis.api import catalog, openapi, reports, subscriptions  # noqa: E402, F401
from feedbackgis.api.health import health_blueprint  # noqa: E402

__all__ = ["DATABASE_ID_MAX", "api_blueprint", "health_blueprint"]

"""JSON API blueprints: load -> service -> dump."""
from flask import Blueprint

api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

# Route modules register themselves on the blueprint.
from feedbackgis.api import catalog, openapi, reports, subscriptions  # noqa: E402, F401
from feedbackgis.api.health import health_blueprint  # noqa: E402

__all__ = ["api_blueprint", "health_blueprint"]

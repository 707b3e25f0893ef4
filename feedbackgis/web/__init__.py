"""HTML pages: the resident map and forms; staff and contractor views come later."""
from flask import Blueprint

from feedbackgis.web.security import add_security_headers

web_blueprint = Blueprint("web", __name__)

# Every HTML response of the app gets the headers, error pages included (they are rendered
# outside this blueprint's views, so a blueprint-only after_request would miss them).
web_blueprint.after_app_request(add_security_headers)

# View modules register their routes on the blueprint.
from feedbackgis.web import follow_up, subscriptions, views  # noqa: E402, F401

__all__ = ["web_blueprint"]

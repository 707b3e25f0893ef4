"""The staff's pages (/staff/): sign-in, the inbox, a report's page, triage, moderation.

Every view but the sign-in pages is behind login_required, and asks services/staff/access
(domain/permissions.py) what the user may do; templates are under web/templates/staff/.
"""
from typing import Any

from flask import Blueprint, g

from feedbackgis.i18n import request_language
from feedbackgis.web.staff.navigation import staff_nav
from feedbackgis.web.staff.session import current_staff_user

staff_blueprint = Blueprint("staff", __name__, url_prefix="/staff")


@staff_blueprint.before_request
def _pick_language() -> None:
    g.language = request_language()


@staff_blueprint.after_request
def _never_cached(response: Any) -> Any:
    # Staff pages hold personal data: no browser or proxy cache keeps them.
    response.headers["Cache-Control"] = "no-store"
    return response


@staff_blueprint.context_processor
def _staff_context() -> dict[str, Any]:
    from feedbackgis.web.views import language_links

    g.language = g.get("language") or request_language()
    user = current_staff_user()
    return {"lang": g.language, "language_links": language_links(), "staff_user": user,
            "staff_nav": staff_nav(user)}


# View modules register their routes on the blueprint.
from feedbackgis.web.staff import (  # noqa: E402, F401
    bulk,
    inbox,
    login,
    password_reset,
    queues,
    report_actions,
    report_page,
    sso,
)

__all__ = ["staff_blueprint"]

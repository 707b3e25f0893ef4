"""The staff's pages (/staff/): sign-in, the inbox, a report's page, triage, moderation.

Every view but the sign-in pages is behind login_required, and asks services/staff/access
(domain/permissions.py) what the user may do; templates are under web/templates/staff/.
"""
from typing import Any

from flask import Blueprint

from feedbackgis.web.private_pages import make_private
from feedbackgis.web.staff.navigation import staff_nav
from feedbackgis.web.staff.session import current_staff_user

staff_blueprint = Blueprint("staff", __name__, url_prefix="/staff")
make_private(staff_blueprint)


@staff_blueprint.context_processor
def _staff_context() -> dict[str, Any]:
    user = current_staff_user()
    return {"staff_user": user, "staff_nav": staff_nav(user)}


# View modules register their routes on the blueprint; the managers' pages are in
# web/figures/ (their package imports its modules).
from feedbackgis.web import figures  # noqa: E402, F401
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

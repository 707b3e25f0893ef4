"""The admin pages (/admin/): categories, response templates, parties, users, failed jobs,
the Open311 API keys, each with its history, and the zones (web/admin/zones.py).

Every view is behind admin_required (web/admin/access.py: signed in, and a role holding the
page's action, MANAGE_CATALOG or MANAGE_USERS); changes go through the same services as the
CLI, which record them in the audit trail (services/admin/audit.py) with the admin as the
actor. Templates are under web/templates/admin/ and extend staff/base.html, so the staff
session, navigation and styles apply.
"""
from typing import Any

from flask import Blueprint, g

from feedbackgis.url_converters import register_id_converter
from feedbackgis.web.admin.navigation import admin_nav, entity_url
from feedbackgis.web.admin.texts import NAMES, name_of, shown
from feedbackgis.web.private_pages import make_private
from feedbackgis.web.staff.navigation import staff_nav
from feedbackgis.web.staff.session import current_staff_user

admin_blueprint = Blueprint("admin", __name__, url_prefix="/admin")
admin_blueprint.record_once(register_id_converter)  # before the views add their rules
make_private(admin_blueprint)


@admin_blueprint.context_processor
def _admin_context() -> dict[str, Any]:
    user = current_staff_user()
    return {"staff_user": user, "staff_nav": staff_nav(user), "admin_nav": admin_nav(g.language),
            "names": NAMES, "name_of": name_of, "shown": shown, "entity_url": entity_url}


# View modules register their routes on the blueprint.
from feedbackgis.web.admin import (  # noqa: E402, F401
    api_keys,
    categories,
    category_questions,
    history,
    jobs,
    open311_deliveries,
    parties,
    response_templates,
    users,
    zones,
)

__all__ = ["admin_blueprint"]

"""The staff navigation: the pages the signed-in user's role opens, the current one marked."""
from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_babel import gettext

from feedbackgis.domain.permissions import Action
from feedbackgis.i18n import N_
from feedbackgis.models import StaffUser
from feedbackgis.services.staff.access import user_may

# (endpoint, label, the action that opens it: None for every role).
PAGES: list[tuple[str, str, Action | None]] = [
    ("staff.inbox", N_("Inbox"), None),
    ("staff.triage", N_("Triage"), Action.REASSIGN),
    ("staff.moderation", N_("Moderation"), Action.MODERATE),
    ("admin.index", N_("Admin"), Action.MANAGE_CATALOG),
]


def staff_nav(user: StaffUser | None) -> list[dict[str, Any]]:
    if user is None:
        return []
    return [
        {"url": url_for(endpoint), "label": gettext(label),
         "current": request.endpoint == endpoint}
        for endpoint, label, action in PAGES
        if endpoint in current_app.view_functions
        and (action is None or user_may(user, action))
    ]

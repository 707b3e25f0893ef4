"""The staff navigation: the pages the signed-in user's role opens, the current one marked."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request, url_for
from flask_babel import gettext

from feedbackgis.domain.permissions import Action, statistics_scope
from feedbackgis.i18n import N_
from feedbackgis.models import StaffUser
from feedbackgis.services.staff.access import actor_of, user_may


def _sees_figures(user: StaffUser) -> bool:
    return statistics_scope(actor_of(user)) is not None


# (endpoint, label, what opens it: an action, a test of the user, or None for every role).
PAGES: list[tuple[str, str, Action | Callable[[StaffUser], bool] | None]] = [
    ("staff.inbox", N_("Inbox"), None),
    ("staff.triage", N_("Triage"), Action.REASSIGN),
    ("staff.moderation", N_("Moderation"), Action.MODERATE),
    ("staff.dashboard", N_("Figures"), _sees_figures),
    ("admin.index", N_("Admin"), Action.MANAGE_CATALOG),
]


def _opens(user: StaffUser, what: Action | Callable[[StaffUser], bool] | None) -> bool:
    if what is None:
        return True
    if isinstance(what, Action):
        return user_may(user, what)
    return what(user)


def staff_nav(user: StaffUser | None) -> list[dict[str, Any]]:
    if user is None:
        return []
    return [
        {"url": url_for(endpoint), "label": gettext(label),
         "current": request.endpoint == endpoint}
        for endpoint, label, action in PAGES
        if endpoint in current_app.view_functions and _opens(user, action)
    ]

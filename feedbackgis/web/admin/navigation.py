"""The admin pages' own navigation, under the staff navigation: one link per section."""
from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_babel import gettext

from feedbackgis.i18n import N_

# (path under /admin, label, the endpoint of the section's first page or None for a path
# served by another module: the zones pages, web/admin/zones.py).
SECTIONS: list[tuple[str, str, str | None]] = [
    ("/categories", N_("Categories"), "admin.categories"),
    ("/templates", N_("Response templates"), "admin.templates"),
    ("/parties", N_("Parties"), "admin.parties"),
    ("/users", N_("Users and roles"), "admin.users"),
    ("/zones", N_("Zones"), None),
    ("/jobs", N_("Failed jobs"), "admin.failed_jobs"),
    ("/api-keys", N_("Open311 API keys"), "admin.api_keys"),
    ("/open311-deliveries", N_("Open311 deliveries"), "admin.open311_deliveries"),
    ("/history", N_("History"), "admin.history"),
]
ROOT = "/admin"


def admin_nav(language: str) -> list[dict[str, Any]]:
    here = request.path
    links = []
    for path, label, endpoint in SECTIONS:
        url = (url_for(endpoint, lang=language) if endpoint
               else f"{ROOT}{path}?lang={language}")
        current = here == ROOT + path or here.startswith(f"{ROOT}{path}/")
        links.append({"url": url, "label": gettext(label), "current": current})
    return links


# The page of each kind of entity the history names, by its id.
ENTITY_PAGES = {
    "category": ("admin.category", "category_id"),
    "party": ("admin.party", "party_id"),
    "user": ("admin.user", "user_id"),
    "response_template": ("admin.response_template", "template_id"),
}


def entity_url(entity: str, entity_id: str, language: str) -> str | None:
    """The admin page of a changed entity, if it has one (jobs and zones have none here)."""
    page = ENTITY_PAGES.get(entity)
    if page is None or not entity_id.isdigit():
        return None
    endpoint, argument = page
    return url_for(endpoint, **{argument: int(entity_id)}, lang=language)

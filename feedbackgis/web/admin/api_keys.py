"""The Open311 API keys on the admin pages: the list (with a revoke button each), a new key
(shown on the result page, this once), through services/open311/api_keys.py as
`feedbackgis apikeys ...` does."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, url_for

from feedbackgis.domain.permissions import Action
from feedbackgis.errors import ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.services.catalog.listing import all_parties
from feedbackgis.services.catalog.parties_and_categories import find_party
from feedbackgis.services.open311 import api_keys as service
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.forms import form_values, refusal, text
from feedbackgis.web.admin.texts import done_message

KEY_ERRORS = {
    "name": N_("Give the system a name of 1 to %(max)s characters that no other API key "
               "has."),
    "party": N_("Choose one of the parties, or none for a client system."),
}


def _list_page(status: int = 200, errors: dict[str, str] | None = None) -> Any:
    return render_template("admin/api_keys.html", keys=service.list_api_keys(db.session),
                           parties=all_parties(db.session),
                           errors=errors or {}, values=form_values({}),
                           name_max=service.NAME_MAX_LENGTH, done=done_message()), status


@admin_blueprint.get("/api-keys")
@admin_required(Action.MANAGE_CATALOG)
def api_keys() -> Any:
    return _list_page()


@admin_blueprint.post("/api-keys")
@admin_required(Action.MANAGE_CATALOG)
def create_api_key() -> Any:
    try:
        party = find_party(db.session, text("party")) if text("party") else None
        key = service.create_api_key(db.session, text("name"), party=party, actor=admin())
    except ServiceError as exc:
        errors, status = refusal(exc, KEY_ERRORS, max=service.NAME_MAX_LENGTH)
        return _list_page(status, errors)
    # The key is on this page only: not in a redirect's URL, never stored.
    return render_template("admin/api_key_created.html", key=key, name=text("name").strip())


@admin_blueprint.post("/api-keys/revoke")
@admin_required(Action.MANAGE_CATALOG)
def revoke_api_key() -> Any:
    service.revoke_api_key(db.session, text("name"), actor=admin())
    return redirect(url_for("admin.api_keys", done="revoked", lang=g.language), 303)

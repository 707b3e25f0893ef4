"""Parties on the admin pages: the list, a new one, a party's page (kind, emails, the
escalation address, active; its webhook, set with a new secret shown once; its own Open311
system; its history), through
services/catalog/parties_and_categories.py as `feedbackgis parties ...` does."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for

from feedbackgis.domain.permissions import Action
from feedbackgis.errors import InvalidInput, ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.models import Party, PartyKind
from feedbackgis.services.admin.audit import Entity, history
from feedbackgis.services.catalog import parties_and_categories as catalog
from feedbackgis.services.catalog.listing import all_parties, get_party, party_usage
from feedbackgis.services.catalog.party_open311 import (
    Open311Settings,
    parse_service_codes,
    set_party_open311,
)
from feedbackgis.services.contractor_api.webhooks import set_webhook
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.forms import (
    checked,
    form_values,
    lines,
    optional_text,
    refusal,
    text,
)
from feedbackgis.web.admin.texts import PARTY_KIND_NAMES, done_message

PARTY_ERRORS = {
    "name": N_("Give a name not used by another party (at most 200 characters)."),
    "kind": N_("Choose a municipal unit or a contractor. A party with staff users keeps its "
               "kind: give them another party first."),
    "emails": N_("Give email addresses, one a line."),
    "manager_email": N_("Give one email address, or leave it empty for the service's "
                        "managers."),
    "webhook_url": N_("Give an http or https address, or leave it empty to send none."),
    "language": N_("Choose Finnish, Swedish or English."),
    "open311_url": N_("Give the http or https address of the system's Open311 root (such as "
                      "https://example.fi/open311/v2), or leave it empty to send none."),
    "open311_api_key": N_("Give the key the party's system gave (at most 200 characters)."),
    "open311_jurisdiction_id": N_("Give the jurisdiction id of at most 200 characters, or "
                                  "leave it empty."),
    "open311_service_codes": N_("Write one category a line: our category code, '=', and the "
                                "service code of the party's system."),
}


def _kind(value: str) -> PartyKind:
    try:
        return PartyKind(value)
    except ValueError:
        raise InvalidInput(f"No kind of party '{value}'.", field="kind") from None


def _party_values(party: Party | None) -> dict[str, Any]:
    if party is None:
        return {"kind": PartyKind.UNIT.value, "language": "fi"}
    return {"name": party.name, "kind": party.kind.value, "emails": "\n".join(party.emails),
            "manager_email": party.manager_email or "", "active": party.active,
            "language": party.language}


def _form_page(page: str, status: int = 200, **context: Any) -> Any:
    return render_template(page, kinds=PARTY_KIND_NAMES, **context), status


@admin_blueprint.get("/parties")
@admin_required(Action.MANAGE_CATALOG)
def parties() -> Any:
    return render_template("admin/parties.html", parties=all_parties(db.session),
                           kinds=PARTY_KIND_NAMES)


@admin_blueprint.route("/parties/new", methods=["GET", "POST"])
@admin_required(Action.MANAGE_CATALOG)
def new_party() -> Any:
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            party = catalog.add_party(db.session, text("name"), _kind(text("kind")),
                                      lines("emails"), manager_email=text("manager_email"),
                                      language=optional_text("language") or None,
                                      actor=admin())
        except ServiceError as exc:
            errors, status = refusal(exc, PARTY_ERRORS)
        else:
            return redirect(url_for("admin.party", party_id=party.id, done="created",
                                    lang=g.language), 303)
    return _form_page("admin/party_new.html", status, errors=errors,
                      values=form_values(_party_values(None)))


@admin_blueprint.post("/parties/<id:party_id>/webhook")
@admin_required(Action.MANAGE_CATALOG)
def party_webhook(party_id: int) -> Any:
    """Set (with a new secret, shown on this answer only) or remove the party's webhook."""
    found = get_party(db.session, party_id)
    url = text("webhook_url")
    try:
        secret = set_webhook(db.session, found, url or None, actor=admin())
    except ServiceError as exc:
        errors, status = refusal(exc, PARTY_ERRORS)
        return _party_page(get_party(db.session, party_id), errors, status)
    return _party_page(get_party(db.session, party_id), {}, 200, secret=secret)


@admin_blueprint.post("/parties/<id:party_id>/open311")
@admin_required(Action.MANAGE_CATALOG)
def party_open311(party_id: int) -> Any:
    """Set the party's own Open311 system (the key is write-only: empty keeps it)."""
    found = get_party(db.session, party_id)
    try:
        settings = Open311Settings(
            url=text("open311_url"), api_key=text("open311_api_key"),
            clear_key=checked("open311_clear_key"),
            jurisdiction_id=text("open311_jurisdiction_id"),
            service_codes=parse_service_codes(text("open311_service_codes")))
        set_party_open311(db.session, found, settings, actor=admin())
    except ServiceError as exc:
        errors, status = refusal(exc, PARTY_ERRORS)
        return _party_page(get_party(db.session, party_id), errors, status,
                           open311_values=_open311_typed())
    return redirect(url_for("admin.party", party_id=party_id, done="saved",
                            lang=g.language), 303)


def _open311_values(party: Party) -> dict[str, str]:
    codes = party.open311_service_codes or {}
    return {"open311_url": party.open311_url or "",
            "open311_jurisdiction_id": party.open311_jurisdiction_id or "",
            "open311_service_codes": "\n".join(f"{ours}={theirs}"
                                               for ours, theirs in sorted(codes.items()))}


def _open311_typed() -> dict[str, str]:
    # What was typed, but never the key: it is not shown back, not even on a refusal.
    return {name: text(name) for name in
            ("open311_url", "open311_jurisdiction_id", "open311_service_codes")}


def _party_page(found: Party, errors: dict[str, str], status: int, **context: Any) -> Any:
    context.setdefault("open311_values", _open311_values(found))
    return _form_page("admin/party.html", status, party=found, errors=errors,
                      values=form_values(_party_values(found)),
                      usage=party_usage(db.session, found.id),
                      changes=history(db.session, Entity.PARTY, found.id),
                      done=done_message(), **context)


@admin_blueprint.route("/parties/<id:party_id>", methods=["GET", "POST"])
@admin_required(Action.MANAGE_CATALOG)
def party(party_id: int) -> Any:
    found = get_party(db.session, party_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            catalog.update_party(db.session, found.name, kind=_kind(text("kind")),
                                 emails=lines("emails"), active=checked("active"),
                                 manager_email=text("manager_email"),
                                 language=optional_text("language") or None, actor=admin())
        except ServiceError as exc:
            errors, status = refusal(exc, PARTY_ERRORS)
            found = get_party(db.session, party_id)
        else:
            return redirect(url_for("admin.party", party_id=party_id, done="saved",
                                    lang=g.language), 303)
    return _party_page(found, errors, status)

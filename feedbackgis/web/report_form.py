"""The report form: on its own page, working without JavaScript (the place is then typed as
an address or a description, and staff pin it), and the same form the map page enhances.

A submission goes through the same schema and service as the API's. The form carries an
idempotency key made when it was shown, so a double tap or a browser that resends the POST
stores one report; then it redirects (303) to the reporter's follow-up page.
"""
from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from feedbackgis.errors import InvalidInput, flatten_messages
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.rate_limits import submission_limit
from feedbackgis.schemas.report_form import api_body, form_field, report_in
from feedbackgis.services.catalog.parties_and_categories import active_categories
from feedbackgis.services.reports.idempotency import IdempotencyKey
from feedbackgis.services.reports.submission import submit_report
from feedbackgis.web import web_blueprint

SUBMIT_FORM = "POST /report"  # the operation the form's idempotency keys belong to

# What a resident reads next to a field that needs fixing, in the page's language.
FIELD_ERRORS = {
    "category": N_("Choose the topic of your report."),
    "description": N_("Describe the problem in a few words (at most 5,000 characters)."),
    "place": N_("Tell where it is: put the pin on the map, or write the address or a short "
                "description of the place."),
    "email": N_("Check the email address, for example name@example.fi."),
    "phone": N_("Check the phone number: digits, spaces and the signs + ( ) - only."),
    "name": N_("The name is too long: at most 200 characters."),
    "consent": N_("Check the consent."),
    "photos": N_("Add at most 3 photos: JPEG, PNG, WebP or HEIC."),
    "_form": N_("The report could not be sent as it is. Check the form."),
}
OUTSIDE_AREA = N_("The place is outside the municipality's service area.")


def _message(field: str, detail: str) -> str:
    if field == "place" and "outside" in detail:
        return gettext(OUTSIDE_AREA)
    return gettext(FIELD_ERRORS.get(field, FIELD_ERRORS["_form"]))


def _errors_of(messages: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for path, details in flatten_messages(messages).items():
        field = form_field(path)
        errors.setdefault(field, _message(field, " ".join(details)))
    return errors


# The summary lists errors in the order of the fields on the page.
FIELD_ORDER = ("category", "place", "description", "photos", "name", "email", "phone",
               "consent", "_form")


def _in_page_order(errors: dict[str, str]) -> dict[str, str]:
    def place(field: str) -> tuple[int, str]:
        return (FIELD_ORDER.index(field) if field in FIELD_ORDER else 3, field)

    return {field: errors[field] for field in sorted(errors, key=place)}


def render_form(values: Any, errors: dict[str, str], status: int = 200) -> Any:
    page = render_template(
        "report_form.html", values=values, errors=_in_page_order(errors),
        categories=active_categories(db.session, g.language),
        idempotency_key=values.get("idempotency_key") or secrets.token_urlsafe(24),
    )
    return page, status, {"Cache-Control": "no-store"}


@web_blueprint.get("/report")
def report_form() -> Any:
    return render_form(request.args, {})


@web_blueprint.post("/report")
@submission_limit
def submit_report_form() -> Any:
    form = request.form
    body = api_body(form, g.language)
    key = form.get("idempotency_key", "")
    try:
        new = report_in.load(body)
        submitted = submit_report(
            db.session, new, secret_key=current_app.config["SECRET_KEY"],
            idempotency=IdempotencyKey.of_request(key, SUBMIT_FORM, body) if key else None,
        )
    except ValidationError as exc:
        errors = _errors_of(exc.messages)
        if "location" not in body and "address" not in body:
            # The schema says so only once every field is right; the form says all at once.
            errors.setdefault("place", _message("place", ""))
        return render_form(form, errors, 422)
    except InvalidInput as exc:
        field = form_field(exc.field or "")
        return render_form(form, {field: _message(field, exc.message)}, 422)
    target = url_for("web.follow_up", token=submitted.follow_up_token, lang=g.language, sent=1)
    return redirect(target, 303)

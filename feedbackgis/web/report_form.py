"""The report form: on its own page, working without JavaScript (the place is then typed as
an address or a description, and staff pin it), and the same form the map page enhances.

A submission goes through the same schema and service as the API's. The form carries an
idempotency key made when it was shown, so a double tap or a browser that resends the POST
stores one report; then it redirects (303) to the reporter's follow-up page.
"""
from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from feedbackgis.domain.figures import device_of
from feedbackgis.errors import InvalidInput, TooLarge, UnsupportedMedia, flatten_messages
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.models import Category, CategoryQuestion
from feedbackgis.rate_limits import submission_limit
from feedbackgis.schemas.fields import refuse_nul_characters
from feedbackgis.schemas.report_form import answer_field, api_body, form_field, report_in
from feedbackgis.services.catalog.parties_and_categories import active_categories_with_questions
from feedbackgis.services.photos import PhotoLimits, storage_from_config
from feedbackgis.services.photos.uploads import upload_photo
from feedbackgis.services.reports.idempotency import IdempotencyKey
from feedbackgis.services.reports.submission import submit_report
from feedbackgis.web import web_blueprint
from feedbackgis.web.upload_limits import upload_limit

SUBMIT_FORM = "POST /report"  # the operation the form's idempotency keys belong to
MAX_PHOTOS = 3
FORM_OVERHEAD = 256 * 1024  # the form's text fields and the multipart framing

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
    "answer": N_("Answer this question, or check the answer."),
    "_form": N_("The report could not be sent as it is. Check the form."),
}
OUTSIDE_AREA = N_("The place is outside the municipality's service area.")


def _message(field: str, detail: str) -> str:
    if field == "place" and "outside" in detail:
        return gettext(OUTSIDE_AREA)
    if field.startswith("answer-"):
        return gettext(FIELD_ERRORS["answer"])
    return gettext(FIELD_ERRORS.get(field, FIELD_ERRORS["_form"]))


def _errors_of(messages: dict[str, Any], category: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for path, details in flatten_messages(messages).items():
        field = form_field(path, category)
        errors.setdefault(field, _message(field, " ".join(details)))
    return errors


def _active_questions(categories: list[Category], code: str) -> list[CategoryQuestion]:
    chosen = next((c for c in categories if c.code == code), None)
    return [q for q in chosen.questions if q.active] if chosen else []


# The summary lists errors in the order of the fields on the page.
FIELD_ORDER = ("category", "place", "description", "photos", "name", "email", "phone",
               "consent", "_form")


def _in_page_order(errors: dict[str, str]) -> dict[str, str]:
    def place(field: str) -> tuple[int, str]:
        return (FIELD_ORDER.index(field) if field in FIELD_ORDER else 3, field)

    return {field: errors[field] for field in sorted(errors, key=place)}


def _choices_of(question: CategoryQuestion) -> list[tuple[str, str]]:
    """(value, label) of a yes/no or one-of-a-list question, in the page's language."""
    if question.kind == "yesno":
        return [("yes", gettext("Yes")), ("no", gettext("No"))]
    return [(option.key, option.label(g.language)) for option in question.options]


def form_context(values: Any, errors: dict[str, str]) -> dict[str, Any]:
    """What templates/_report_form.html needs: this page and the map page render one form."""
    return {
        "values": values, "errors": _in_page_order(errors),
        "categories": active_categories_with_questions(db.session, g.language),
        "answer_field": answer_field, "choices_of": _choices_of,
        # Photos stored on an earlier try of the form (a file input cannot be refilled).
        "photo_tokens": g.get("photo_tokens") or request.form.getlist("photo_token"),
        "idempotency_key": values.get("idempotency_key") or secrets.token_urlsafe(24),
    }


def render_form(values: Any, errors: dict[str, str], status: int = 200) -> Any:
    page = render_template("report_form.html", **form_context(values, errors))
    return page, status, {"Cache-Control": "no-store"}


@web_blueprint.get("/report")
def report_form() -> Any:
    return render_form(request.args, {})


def _upload_photos(limits: PhotoLimits) -> list[str]:
    """Store the form's photos (re-encoded, unattached) and return their upload tokens;
    tokens of photos sent with an earlier try of this form come back in hidden fields."""
    tokens = [token for token in request.form.getlist("photo_token") if token]
    g.photo_tokens = tokens
    files = [f for f in request.files.getlist("photos") if f.filename]
    if len(tokens) + len(files) > MAX_PHOTOS:
        raise InvalidInput(f"At most {MAX_PHOTOS} photos.", field="photos")
    storage = storage_from_config(current_app.config)
    for upload in files:
        data = upload.stream.read(limits.max_bytes + 1)
        tokens.append(upload_photo(db.session, storage, data, limits).upload_token)
    return tokens


def _form_limit(config: Any) -> int:
    """This form may carry photos; the JSON API's limit may not."""
    return MAX_PHOTOS * PhotoLimits.from_config(config).max_bytes + FORM_OVERHEAD


@web_blueprint.post("/report")
@submission_limit
@upload_limit(_form_limit)
def submit_report_form() -> Any:
    limits = PhotoLimits.from_config(current_app.config)
    form = request.form
    categories = active_categories_with_questions(db.session, g.language)
    category = form.get("category", "")
    body = api_body(form, g.language, _active_questions(categories, category))
    key = form.get("idempotency_key", "")
    try:
        # The key stands for what was typed: a resend uploads its photos again (the extra
        # copies are never attached and are pruned), so they are not part of it.
        refuse_nul_characters(body)
        idempotency = IdempotencyKey.of_request(key, SUBMIT_FORM, body) if key else None
        photos = _upload_photos(limits)
        new = report_in.load({**body, "photos": photos} if photos else body)
        new = replace(new, submitted_from=device_of(request.user_agent.string))
        submitted = submit_report(db.session, new, secret_key=current_app.config["SECRET_KEY"],
                                  idempotency=idempotency,
                                  time_zone=current_app.config["TIMEZONE"])
    except ValidationError as exc:
        errors = _errors_of(exc.messages, category)
        if "location" not in body and "address" not in body:
            # The schema says so only once every field is right; the form says all at once.
            errors.setdefault("place", _message("place", ""))
        return render_form(form, errors, 422)
    except (InvalidInput, TooLarge, UnsupportedMedia) as exc:
        field = "photos" if exc.field in {"file", "photos"} else (exc.field or "_form")
        fields = exc.fields or {field: [exc.message]}
        return render_form(form, _errors_of(fields, category), 422)
    target = url_for("web.follow_up", token=submitted.follow_up_token, lang=g.language, sent=1)
    return redirect(target, 303)

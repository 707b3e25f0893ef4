"""Categories on the admin pages: the list, a new one, and a category's page (its names,
descriptions, Open311 groups and keywords, and policies; its questions,
web/admin/category_questions.py; its response templates; its history). Changes go through
services/catalog/, as the CLI's do."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for

from feedbackgis.domain.due_dates import MAX_WORKING_DAYS
from feedbackgis.domain.permissions import Action
from feedbackgis.domain.publication import PublishPolicy
from feedbackgis.domain.questions import QuestionKind
from feedbackgis.errors import InvalidInput, ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.models import Category
from feedbackgis.services.admin.audit import Entity, history
from feedbackgis.services.catalog import parties_and_categories as catalog
from feedbackgis.services.catalog.listing import all_categories, all_parties, get_category
from feedbackgis.services.catalog.response_templates import list_templates
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.forms import checked, form_values, refusal, text, whole_number
from feedbackgis.web.admin.texts import POLICY_NAMES, done_message

NAME_RULE = N_("Give the name in Finnish, Swedish and English (at most 200 characters).")
DESCRIPTION_RULE = N_("Give the description in Finnish, Swedish and English, or leave all "
                      "three empty (at most 300 characters).")
GROUP_RULE = N_("Give the group in Finnish, Swedish and English, or leave all three empty "
                "(one line, at most 100 characters).")
KEYWORDS_RULE = N_("Give the keywords in Finnish, Swedish and English, or leave all three "
                   "empty (words separated by commas, one line, at most 500 characters).")
FIELD_ERRORS = {
    "code": N_("Choose another code: 1-64 lower-case letters, digits, '-' or '_', not used by "
               "another category."),
    "name_fi": NAME_RULE, "name_sv": NAME_RULE, "name_en": NAME_RULE,
    "description_fi": DESCRIPTION_RULE, "description_sv": DESCRIPTION_RULE,
    "description_en": DESCRIPTION_RULE,
    **dict.fromkeys(catalog.GROUP_COLUMNS, GROUP_RULE),
    **dict.fromkeys(catalog.KEYWORD_COLUMNS, KEYWORDS_RULE),
    "default_party": N_("Choose a party from the list, or none."),
    "publish_policy": N_("Choose when reports become public."),
    "handling_days": N_("Give the handling time as a whole number of working days, 0 to "
                        "%(max)s."),
}
# The services' field names that differ from the form's.
RENAMED = {"party": "default_party"}
TEXT_FIELDS = catalog.TEXT_COLUMNS
# The optional texts of a new category, as typed ("" for none).
OPTIONAL_TEXT_FIELDS = tuple(column for column in TEXT_FIELDS
                             if column not in catalog.NAME_COLUMNS)


def _refusal(exc: ServiceError) -> tuple[dict[str, str], int]:
    return refusal(exc, FIELD_ERRORS, renamed=RENAMED, max=MAX_WORKING_DAYS)


def _policy(value: str) -> PublishPolicy:
    try:
        return PublishPolicy(value)
    except ValueError:
        raise InvalidInput(f"No publish policy '{value}'.", field="publish_policy") from None


def _category_values(category: Category | None) -> dict[str, Any]:
    if category is None:
        return {"publish_policy": PublishPolicy.MODERATED.value, "handling_days": "10"}
    values: dict[str, Any] = {column: getattr(category, column) or "" for column in TEXT_FIELDS}
    values.update(
        code=category.code, publish_policy=category.publish_policy.value,
        default_party=category.default_party.name if category.default_party else "",
        handling_days=str(category.handling_days),
        share_contact_with_party=category.share_contact_with_party, active=category.active)
    return values


def _form_page(page: str, status: int = 200, **context: Any) -> Any:
    return render_template(page, policies=POLICY_NAMES, parties=all_parties(db.session),
                           max_days=MAX_WORKING_DAYS, **context), status


@admin_blueprint.get("/categories")
@admin_required(Action.MANAGE_CATALOG)
def categories() -> Any:
    return render_template("admin/categories.html", policies=POLICY_NAMES,
                           categories=all_categories(db.session, g.language))


@admin_blueprint.route("/categories/new", methods=["GET", "POST"])
@admin_required(Action.MANAGE_CATALOG)
def new_category() -> Any:
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            category = catalog.add_category(db.session, text("code").strip(), _new_fields(),
                                            actor=admin())
        except ServiceError as exc:
            errors, status = _refusal(exc)
        else:
            return redirect(url_for("admin.category", category_id=category.id, done="created",
                                    lang=g.language), 303)
    return _form_page("admin/category_new.html", status, errors=errors,
                      values=form_values(_category_values(None)))


def _new_fields() -> catalog.CategoryFields:
    return catalog.CategoryFields(
        text("name_fi"), text("name_sv"), text("name_en"),
        default_party=text("default_party") or None,
        publish_policy=_policy(text("publish_policy")),
        share_contact_with_party=checked("share_contact_with_party"),
        handling_days=whole_number("handling_days"),
        **{column: text(column) for column in OPTIONAL_TEXT_FIELDS})


def _changes() -> catalog.CategoryChanges:
    days = whole_number("handling_days")
    if days is None:
        raise InvalidInput("Give the handling time.", field="handling_days")
    return catalog.CategoryChanges(
        **{column: text(column) for column in TEXT_FIELDS},
        default_party=text("default_party"), publish_policy=_policy(text("publish_policy")),
        share_contact_with_party=checked("share_contact_with_party"), handling_days=days,
        active=checked("active"))


@admin_blueprint.route("/categories/<id:category_id>", methods=["GET", "POST"])
@admin_required(Action.MANAGE_CATALOG)
def category(category_id: int) -> Any:
    found = get_category(db.session, category_id)
    if request.method == "POST":
        try:
            catalog.update_category(db.session, found.code, _changes(), actor=admin())
        except ServiceError as exc:
            errors, status = _refusal(exc)
            return category_page(category_id, status, errors=errors)
        return redirect(url_for("admin.category", category_id=category_id, done="saved",
                                lang=g.language), 303)
    return category_page(category_id)


def category_page(category_id: int, status: int = 200, *, errors: dict[str, str] | None = None,
                  question_errors: dict[str, str] | None = None) -> Any:
    """The category's page; after a refusal, the refused form with what was typed."""
    found = get_category(db.session, category_id)
    posted_here = request.method == "POST" and errors is not None
    values = request.form.to_dict() if posted_here else _category_values(found)
    question_values = request.form.to_dict() if question_errors is not None else {}
    return _form_page(
        "admin/category.html", status, category=found, values=values, errors=errors or {},
        question_values=question_values, question_errors=question_errors or {},
        question_kinds=[kind.value for kind in QuestionKind],
        templates=list_templates(db.session, found.code),
        changes=history(db.session, Entity.CATEGORY, found.id),
        done=done_message())

"""A category's extra questions on its admin page: add (with the options of a choice
question), move, remove, through services/catalog/questions.py as the CLI's commands do."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, url_for

from feedbackgis.domain.permissions import Action
from feedbackgis.domain.questions import QuestionKind
from feedbackgis.errors import InvalidInput, ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.services.catalog import questions as service
from feedbackgis.services.catalog.listing import get_category
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.categories import category_page
from feedbackgis.web.admin.forms import checked, refusal, text, whole_number

# Rows of options the form offers; empty rows are left out.
OPTION_ROWS = 6
PROMPT_RULE = N_("Give the question in Finnish, Swedish and English (at most 500 "
                 "characters).")
QUESTION_ERRORS = {
    "code": N_("Choose another code: 1-64 lower-case letters, digits, '-' or '_', not used by "
               "another question of the category, even a removed one."),
    "kind": N_("Choose the kind of answer."),
    "prompt_fi": PROMPT_RULE, "prompt_sv": PROMPT_RULE, "prompt_en": PROMPT_RULE,
    "options": N_("A question of the kind \"one of a list\" needs at least two options, each "
                  "with its own key and a label in Finnish, Swedish and English; other kinds "
                  "take none."),
    "position": N_("Give a place in the form from 1 to the number of questions after this "
                   "one is added."),
}


def _kind(value: str) -> QuestionKind:
    try:
        return QuestionKind(value)
    except ValueError:
        raise InvalidInput(f"No kind of question '{value}'.", field="kind") from None


def _options() -> tuple[service.OptionFields, ...]:
    rows = []
    for row in range(1, OPTION_ROWS + 1):
        parts = [text(f"option-{row}-{part}") for part in ("key", "fi", "sv", "en")]
        if any(part.strip() for part in parts):
            rows.append(service.OptionFields(parts[0].strip(), *parts[1:]))
    return tuple(rows)


def _question_fields() -> service.QuestionFields:
    return service.QuestionFields(
        _kind(text("kind")), text("prompt_fi"), text("prompt_sv"), text("prompt_en"),
        required=checked("required"), options=_options(), position=whole_number("position"))


def _back(category_id: int, done: str) -> Any:
    return redirect(url_for("admin.category", category_id=category_id, done=done,
                            lang=g.language, _anchor="questions"), 303)


@admin_blueprint.post("/categories/<id:category_id>/questions")
@admin_required(Action.MANAGE_CATALOG)
def add_question(category_id: int) -> Any:
    category = get_category(db.session, category_id)
    try:
        service.add_question(db.session, category.code, text("code").strip(),
                             _question_fields(), actor=admin())
    except ServiceError as exc:
        errors, status = refusal(exc, QUESTION_ERRORS)
        return category_page(category_id, status, question_errors=errors)
    return _back(category_id, "question-added")


@admin_blueprint.post("/categories/<id:category_id>/questions/<code>/move")
@admin_required(Action.MANAGE_CATALOG)
def move_question(category_id: int, code: str) -> Any:
    category = get_category(db.session, category_id)
    try:
        position = whole_number("position")
        if position is None:
            raise InvalidInput("Give the position.", field="position")
        service.move_question(db.session, category.code, code, position, actor=admin())
    except ServiceError as exc:
        errors, status = refusal(exc, {})
        return category_page(category_id, status, question_errors=errors)
    return _back(category_id, "question-moved")


@admin_blueprint.post("/categories/<id:category_id>/questions/<code>/remove")
@admin_required(Action.MANAGE_CATALOG)
def remove_question(category_id: int, code: str) -> Any:
    category = get_category(db.session, category_id)
    try:
        outcome = service.remove_question(db.session, category.code, code, actor=admin())
    except ServiceError as exc:
        errors, status = refusal(exc, {})
        return category_page(category_id, status, question_errors=errors)
    kept = outcome is service.Removal.DEACTIVATED
    return _back(category_id, "question-kept" if kept else "question-removed")

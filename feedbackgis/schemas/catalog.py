"""The categories a report form offers, in one language, with the questions each one asks."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.i18n import LANGUAGES
from feedbackgis.models import Category, CategoryQuestion


class OptionOut(Schema):
    key = fields.String(required=True, metadata={"description": "The answer to send"})
    label = fields.String(required=True)


class QuestionOut(Schema):
    code = fields.String(required=True, metadata={"description": "The key in `answers`"})
    kind = fields.String(required=True, metadata={
        "enum": [kind.value for kind in QuestionKind],
        "description": "text: a string of up to 500 characters; number: a number; "
                       "yesno: true or false; choice: the key of one of `options`"})
    required = fields.Boolean(required=True)
    prompt = fields.String(required=True)
    options = fields.List(fields.Nested(OptionOut), required=True,
                          metadata={"description": "The choices of a choice question; "
                                                   "empty for other kinds"})


class CategoryOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True, allow_none=True,
                                metadata={"description": "What belongs in the category"})
    questions = fields.List(fields.Nested(QuestionOut), required=True,
                            metadata={"description": "Asked in this order"})


class CategoriesOut(Schema):
    language = fields.String(required=True, metadata={"enum": list(LANGUAGES)})
    categories = fields.List(fields.Nested(CategoryOut), required=True)


def _question_view(question: CategoryQuestion, language: str) -> dict[str, Any]:
    return {
        "code": question.code, "kind": question.kind.value, "required": question.required,
        "prompt": question.prompt(language),
        "options": [{"key": o.key, "label": o.label(language)} for o in question.options],
    }


def categories_view(categories: list[Category], language: str) -> dict[str, Any]:
    return {"language": language, "categories": [
        {"code": c.code, "name": c.name(language), "description": c.description(language),
         "questions": [_question_view(q, language) for q in c.active_questions]}
        for c in categories
    ]}

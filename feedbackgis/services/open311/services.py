"""GeoReport v2 services: active categories, and their extra questions as attributes.

A question's code and an option's key never change meaning (models/category_question.py),
so a client may keep them. A yes/no question is a list of the values `true` and `false`
(domain/questions.py: OPEN311_DATATYPES).
"""
from __future__ import annotations

from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from feedbackgis.domain.questions import OPEN311_DATATYPES, QuestionKind
from feedbackgis.errors import NotFound
from feedbackgis.models import Category, CategoryQuestion
from feedbackgis.repositories.open311 import active_categories, active_category


def list_services(session: Session, language: str) -> list[dict[str, Any]]:
    return [service_view(category, language) for category in active_categories(session)]


def service_view(category: Category, language: str) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name(language),
        "description": category.description(language) or "",
        "metadata": bool(category.active_questions),
        "type": "realtime",
        # An admin's comma-separated words and heading (admin/categories), or none.
        "keywords": category.keywords(language) or "",
        "group": category.group(language) or "",
    }


CODE_MAX_LENGTH = 64


def get_service_definition(session: Session, code: str, language: str) -> dict[str, Any]:
    # A code with control characters (NUL cannot even reach PostgreSQL) names no service.
    readable = 0 < len(code) <= CODE_MAX_LENGTH and code.isprintable()
    category = active_category(session, code) if readable else None
    if category is None:
        raise NotFound(f"No service with service_code {code}.")
    return {
        "service_code": category.code,
        "attributes": [attribute_view(question, language)
                       for question in category.active_questions],
    }


def attribute_view(question: CategoryQuestion, language: str) -> dict[str, Any]:
    kind = QuestionKind(question.kind)
    return {
        "variable": True,
        "code": question.code,
        "datatype": OPEN311_DATATYPES[kind],
        "required": question.required,
        "datatype_description": "",
        "order": question.position,
        "description": question.prompt(language),
        "values": _values(question, kind, language),
    }


def _values(question: CategoryQuestion, kind: QuestionKind,
            language: str) -> list[dict[str, str]]:
    if kind is QuestionKind.CHOICE:
        return [{"key": option.key, "name": option.label(language)}
                for option in question.options]
    if kind is QuestionKind.YESNO:
        with force_locale(language):
            return [{"key": "true", "name": gettext("Yes")},
                    {"key": "false", "name": gettext("No")}]
    return []

"""A category's extra questions: add, list, order, remove.

Positions are 1, 2, ... among a category's active questions, kept without gaps. A question
with answers is never deleted, only deactivated, and its code is never given to another
question of the category: reports keep their answers under that code. Each change is in the
audit trail, on the category (services/admin/audit.py).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.models import Category, CategoryQuestion, QuestionOption, Report
from feedbackgis.models.category_question import LABEL_MAX_LENGTH, PROMPT_MAX_LENGTH
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change, snapshot
from feedbackgis.services.catalog.parties_and_categories import CODE, find_category

CODE_RULE = "1-64 lower-case letters, digits, '-' or '_'"
CHOICE_MIN_OPTIONS = 2


@dataclass(frozen=True)
class OptionFields:
    key: str
    label_fi: str
    label_sv: str
    label_en: str


@dataclass(frozen=True)
class QuestionFields:
    kind: QuestionKind
    prompt_fi: str
    prompt_sv: str
    prompt_en: str
    required: bool = False
    options: tuple[OptionFields, ...] = ()
    position: int | None = None  # None: after the others


class Removal(enum.StrEnum):
    DELETED = "deleted"  # no report answered it
    DEACTIVATED = "deactivated"  # no longer asked; its answers stay readable
    ALREADY_INACTIVE = "already_inactive"


def _texts(values: dict[str, str], limit: int, what: str) -> dict[str, str]:
    """The texts stripped, each present and within `limit` characters."""
    checked = {}
    for column, value in values.items():
        text = value.strip()
        if not text:
            raise InvalidInput(f"Give the {what} in Finnish, Swedish and English.", field=column)
        if len(text) > limit:
            raise InvalidInput(f"The {what} ({column}) must be at most {limit} characters.",
                               field=column)
        checked[column] = text
    return checked


def _options(fields: QuestionFields) -> list[QuestionOption]:
    if fields.kind is not QuestionKind.CHOICE:
        if fields.options:
            raise InvalidInput(f"Only a choice question has options, not a {fields.kind} "
                               "question.", field="options")
        return []
    if len(fields.options) < CHOICE_MIN_OPTIONS:
        raise InvalidInput(f"A choice question needs at least {CHOICE_MIN_OPTIONS} options "
                           "(--option KEY=fi|sv|en).", field="options")
    keys = [option.key for option in fields.options]
    for key in keys:
        if not CODE.match(key):
            raise InvalidInput(f"Option key '{key}' is not {CODE_RULE}.", field="options")
        if keys.count(key) > 1:
            raise InvalidInput(f"Option key '{key}' is given twice.", field="options")
    return [
        QuestionOption(key=option.key, position=position, **_texts(
            {"label_fi": option.label_fi, "label_sv": option.label_sv,
             "label_en": option.label_en}, LABEL_MAX_LENGTH, f"label of option '{option.key}'"))
        for position, option in enumerate(fields.options, start=1)
    ]


def _place(category: Category, question: CategoryQuestion, position: int | None) -> None:
    """Put `question` at `position` (1-based) among the active questions and renumber them."""
    others = [q for q in category.active_questions if q is not question]
    if position is None:
        position = len(others) + 1
    if not 1 <= position <= len(others) + 1:
        raise InvalidInput(f"The position must be 1 to {len(others) + 1}.", field="position")
    others.insert(position - 1, question)
    for number, each in enumerate(others, start=1):
        each.position = number


def _find_question(category: Category, code: str) -> CategoryQuestion:
    question = next((q for q in category.questions if q.code == code), None)
    if question is None:
        raise NotFound(f"Category '{category.code}' has no question '{code}'. See "
                       f"`feedbackgis categories questions list {category.code}`.", field="code")
    return question


def question_snapshot(question: CategoryQuestion) -> dict[str, Any]:
    return snapshot(question, ("code", "kind", "required", "position", "prompt_fi", "prompt_sv",
                               "prompt_en", "active"),
                    options=[snapshot(option, ("key", "label_fi", "label_sv", "label_en"))
                             for option in question.options])


def _order(category: Category) -> list[str]:
    # By position: the loaded list keeps its order until it is read again.
    return [q.code for q in sorted(category.active_questions, key=lambda q: q.position)]


def add_question(session: Session, category_code: str, code: str,
                 fields: QuestionFields, *, actor: ChangeActor = SYSTEM) -> CategoryQuestion:
    category = find_category(session, category_code)
    if not CODE.match(code):
        raise InvalidInput(f"A question code is {CODE_RULE}.", field="code")
    earlier = next((q for q in category.questions if q.code == code), None)
    if earlier is not None:
        why = "" if earlier.active else (" (removed, but reports keep their answers under "
                                         "that code; choose another)")
        raise Conflict(f"Category '{category.code}' has a question '{code}' already{why}.",
                       field="code")
    prompts = _texts({"prompt_fi": fields.prompt_fi, "prompt_sv": fields.prompt_sv,
                      "prompt_en": fields.prompt_en}, PROMPT_MAX_LENGTH, "prompt")
    question = CategoryQuestion(code=code, kind=fields.kind, required=fields.required,
                                active=True, options=_options(fields), **prompts)
    _place(category, question, fields.position)
    category.questions.append(question)
    record_change(session, actor, Entity.CATEGORY, category.id, "add_question", None,
                  {"question": question_snapshot(question)})
    session.commit()
    return question


def list_questions(session: Session, category_code: str) -> list[CategoryQuestion]:
    """The active questions in the form's order, then the removed ones."""
    category = find_category(session, category_code)
    return sorted(category.questions, key=lambda q: (not q.active, q.position, q.id))


def move_question(session: Session, category_code: str, code: str,
                  position: int, *, actor: ChangeActor = SYSTEM) -> CategoryQuestion:
    category = find_category(session, category_code)
    question = _find_question(category, code)
    if not question.active:
        raise InvalidInput(f"Question '{code}' was removed; it has no place in the form.",
                           field="code")
    before = _order(category)
    _place(category, question, position)
    record_change(session, actor, Entity.CATEGORY, category.id, "move_question",
                  {"order": before}, {"order": _order(category)})
    session.commit()
    return question


def _has_answers(session: Session, question: CategoryQuestion) -> bool:
    return bool(session.scalar(select(exists().where(
        Report.category_id == question.category_id, Report.answers.has_key(question.code)))))


def remove_question(session: Session, category_code: str, code: str, *,
                    actor: ChangeActor = SYSTEM) -> Removal:
    """Delete the question, or deactivate it when reports have answered it."""
    category = find_category(session, category_code)
    question = _find_question(category, code)
    if not question.active:
        return Removal.ALREADY_INACTIVE
    before = question_snapshot(question)
    if _has_answers(session, question):
        question.active = False
        outcome = Removal.DEACTIVATED
    else:
        category.questions.remove(question)
        outcome = Removal.DELETED
    for number, each in enumerate(category.active_questions, start=1):
        each.position = number
    after = ({"question": {**before, "active": False}} if outcome is Removal.DEACTIVATED
             else None)
    record_change(session, actor, Entity.CATEGORY, category.id, "remove_question",
                  {"question": before}, after)
    session.commit()
    return outcome

"""Answers of a new report, checked against its category's active questions."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from feedbackgis.domain.questions import AnswersRefused, check_answers
from feedbackgis.errors import InvalidInput
from feedbackgis.models import Category


def checked_answers(category: Category, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to store, or InvalidInput naming each wrong one as `answers.<code>`
    (all of them at once, so a form can mark every question that needs another look)."""
    try:
        return check_answers(category.active_questions, answers)
    except AnswersRefused as refused:
        fields = {f"answers.{code}": [message] for code, message in refused.problems.items()}
        summary = "; ".join(f"{field}: {messages[0]}" for field, messages in fields.items())
        raise InvalidInput(f"Invalid input. {summary}", fields=fields) from None

"""A category's extra questions: their kinds, and the rules an answer must follow.

Answers are kept as {question code: value}: text a string, number a JSON number, yes/no a
boolean, one-of-a-list the chosen option's key. The same codes and keys become the GeoReport
v2 service attributes (`code`, and `key` of each of `values`), so they never change meaning.
"""
from __future__ import annotations

import enum
import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from feedbackgis.domain.limits import TEXT_ANSWER_MAX_LENGTH


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    NUMBER = "number"
    YESNO = "yesno"
    CHOICE = "choice"


# GeoReport v2 datatypes of service attributes. Open311 has no boolean: a yes/no question is
# published as a list of the two values "true" and "false".
OPEN311_DATATYPES = {
    QuestionKind.TEXT: "string",
    QuestionKind.NUMBER: "number",
    QuestionKind.YESNO: "singlevaluelist",
    QuestionKind.CHOICE: "singlevaluelist",
}


class QuestionRule(Protocol):
    """What checking an answer needs to know of a question (a model row will do)."""

    code: str
    kind: QuestionKind | str
    required: bool

    @property
    def option_keys(self) -> Collection[str]: ...


class AnswersRefused(ValueError):
    """Some answers break the rules; `problems` says what is wrong, by question code."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{code}: {message}" for code, message in problems.items()))
        self.problems = problems


class _Refused(ValueError):
    pass


def check_answers(questions: Sequence[QuestionRule], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as they are stored ({code: value}, text stripped, blank text left out), or
    AnswersRefused naming every unknown code, missing required answer and wrong value."""
    by_code = {question.code: question for question in questions}
    problems = {code: "Not a question of this category." for code in answers
                if code not in by_code}
    checked: dict[str, Any] = {}
    for code, question in by_code.items():
        if code not in answers:
            continue
        try:
            value = _checked_value(question, answers[code])
        except _Refused as refused:
            problems[code] = str(refused)
            continue
        if value is not None:
            checked[code] = value
    for question in questions:
        if question.required and question.code not in checked and question.code not in problems:
            problems[question.code] = "An answer is required."
    if problems:
        raise AnswersRefused(problems)
    return checked


def _checked_value(question: QuestionRule, value: Any) -> Any:
    """The value to store, or None for a blank text (as if the question was left out)."""
    kind = QuestionKind(question.kind)
    if kind is QuestionKind.TEXT:
        return _text(value)
    if kind is QuestionKind.NUMBER:
        return _number(value)
    if kind is QuestionKind.YESNO:
        if not isinstance(value, bool):
            raise _Refused("Must be true or false.")
        return value
    if not isinstance(value, str) or value not in question.option_keys:
        raise _Refused(f"Must be one of: {', '.join(question.option_keys)}.")
    return value


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        raise _Refused("Must be text.")
    text = value.strip()
    if len(text) > TEXT_ANSWER_MAX_LENGTH:
        raise _Refused(f"Must be at most {TEXT_ANSWER_MAX_LENGTH} characters.")
    return text or None


def _number(value: Any) -> int | float:
    # true is not 1 here: a JSON boolean is never a number.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Refused("Must be a number.")
    try:
        finite = math.isfinite(float(value))
    except OverflowError:  # an integer of hundreds of digits
        finite = False
    if not finite:
        raise _Refused("Must be a finite number.")
    return value

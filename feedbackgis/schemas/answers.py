"""Answers to a category's extra questions: their form on the way in, their view on the way out.

In: {question code: answer}, each answer a string, a number or true/false. Which codes a
category takes, and which type each needs, the service checks against the questions.

Out: the answers with their prompts in the reader's language, without free-text answers:
a resident may type anything into a text box (a name, a phone number, "I live upstairs"),
and unlike the description nobody moderates it. Numbers, yes/no and choices of options
written by staff cannot carry personal data.
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields

from feedbackgis.domain.limits import TEXT_ANSWER_MAX_LENGTH
from feedbackgis.domain.questions import QuestionKind
from feedbackgis.models import Report

ANSWERS_HELP = 'Give {"question code": answer, ...}, as the category\'s questions say.'
VALUE_HELP = "Give a string, a number or true/false (or leave the question out)."


def _problem(answer: Any) -> str | None:
    if isinstance(answer, str):
        if len(answer) > TEXT_ANSWER_MAX_LENGTH:
            return f"Must be at most {TEXT_ANSWER_MAX_LENGTH} characters."
        return None
    if isinstance(answer, bool | int | float):
        return None
    return VALUE_HELP


class Answers(fields.Field):
    """{question code: answer}; loads to a dict of the same."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any):
        if not isinstance(value, dict):
            raise ValidationError(ANSWERS_HELP)
        problems = {code: [problem] for code, answer in value.items()
                    if (problem := _problem(answer)) is not None}
        if problems:
            raise ValidationError(problems)
        return dict(value)


class AnswerValue(fields.Field):
    """An answer as stored: a string, a number or a boolean, dumped as it is."""


class AnswerOut(Schema):
    code = fields.String(required=True, metadata={"description": "The question's code"})
    kind = fields.String(required=True,
                         metadata={"enum": [kind.value for kind in QuestionKind]})
    prompt = fields.String(required=True, metadata={"description": "The question asked"})
    value = AnswerValue(required=True, metadata={
        "description": "number: a number; yesno: true or false; choice: the option's key"})
    label = fields.String(required=True, allow_none=True, metadata={
        "description": "The chosen option's label (choice); null for other kinds"})


def answers_view(report: Report, language: str, *,
                 with_free_text: bool = False) -> list[dict[str, Any]]:
    """The report's answers in the form's order, each with its question's prompt (removed
    questions included: the report answered them); free-text answers, which may name
    people, only for staff (with_free_text)."""
    shown = []
    for question in report.category.questions:
        if question.code not in report.answers or (
                question.kind is QuestionKind.TEXT and not with_free_text):
            continue
        value = report.answers[question.code]
        label = (question.option_label(value, language)
                 if question.kind is QuestionKind.CHOICE else None)
        shown.append({"code": question.code, "kind": question.kind.value,
                      "prompt": question.prompt(language), "value": value, "label": label})
    return shown

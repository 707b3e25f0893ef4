"""The rules an answer to a category's extra question follows (domain/questions.py), and the
shape the submission schema takes before the service knows the questions."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from marshmallow import ValidationError

from feedbackgis.domain.questions import AnswersRefused, QuestionKind, check_answers
from feedbackgis.schemas.reports import ReportIn


@dataclass(frozen=True)
class Question:
    code: str
    kind: QuestionKind
    required: bool = False
    option_keys: tuple[str, ...] = ()


LIGHT_OUT = Question("light_out", QuestionKind.YESNO, required=True)
NUMBER_KNOWN = Question("number_known", QuestionKind.CHOICE, option_keys=("pole", "lamp", "no"))
POLES = Question("poles", QuestionKind.NUMBER)
NOTE = Question("note", QuestionKind.TEXT)
FORM = [LIGHT_OUT, NUMBER_KNOWN, POLES, NOTE]


def problems_of(answers: dict) -> dict[str, str]:
    with pytest.raises(AnswersRefused) as refused:
        check_answers(FORM, answers)
    return refused.value.problems


def test_valid_answers_are_kept_as_given_with_text_stripped():
    answers = {"light_out": False, "number_known": "lamp", "poles": 2.5, "note": "  K-12 "}
    assert check_answers(FORM, answers) == {
        "light_out": False, "number_known": "lamp", "poles": 2.5, "note": "K-12"}


def test_optional_questions_may_be_left_out():
    assert check_answers(FORM, {"light_out": True}) == {"light_out": True}


def test_a_category_without_questions_takes_no_answers():
    assert check_answers([], {}) == {}
    with pytest.raises(AnswersRefused):
        check_answers([], {"light_out": True})


def test_missing_required_answer_is_named():
    assert problems_of({"number_known": "pole"}) == {"light_out": "An answer is required."}


def test_unknown_code_is_refused():
    assert problems_of({"light_out": True, "colour": "red"}) == {
        "colour": "Not a question of this category."}


def test_blank_text_counts_as_no_answer():
    assert check_answers(FORM, {"light_out": True, "note": "   "}) == {"light_out": True}


def test_blank_text_does_not_answer_a_required_text_question():
    with pytest.raises(AnswersRefused) as refused:
        check_answers([Question("where", QuestionKind.TEXT, required=True)], {"where": " "})
    assert refused.value.problems == {"where": "An answer is required."}


@pytest.mark.parametrize(("answers", "code", "words"), [
    ({"note": 5}, "note", "Must be text"),
    ({"note": "x" * 501}, "note", "at most 500"),
    ({"poles": "3"}, "poles", "Must be a number"),
    ({"poles": True}, "poles", "Must be a number"),
    ({"poles": float("nan")}, "poles", "finite"),
    ({"poles": float("inf")}, "poles", "finite"),
    ({"poles": 10 ** 400}, "poles", "finite"),
    ({"light_out": "yes"}, "light_out", "true or false"),
    ({"light_out": 1}, "light_out", "true or false"),
    ({"number_known": "maybe"}, "number_known", "one of: pole, lamp, no"),
    ({"number_known": True}, "number_known", "one of"),
])
def test_wrong_type_or_value_is_named_with_what_it_must_be(answers, code, words):
    problems = problems_of({"light_out": True, **answers})
    assert list(problems) == [code] and words in problems[code]


def test_every_wrong_answer_is_named_at_once():
    problems = problems_of({"number_known": "maybe", "poles": "x", "extra": 1})
    assert set(problems) == {"light_out", "number_known", "poles", "extra"}


def test_text_of_exactly_500_characters_is_accepted():
    assert check_answers(FORM, {"light_out": True, "note": "x" * 500})["note"] == "x" * 500


def test_integer_numbers_stay_integers():
    assert check_answers(FORM, {"light_out": True, "poles": 3})["poles"] == 3


BODY = {"category": "streetlight", "description": "Pimeä", "address": "Katu 1"}


def test_the_schema_loads_answers_of_every_json_type():
    answers = {"a": "text", "b": 1, "c": 2.5, "d": False}
    assert ReportIn().load({**BODY, "answers": answers}).answers == answers


def test_the_schema_gives_no_answers_when_none_are_sent():
    assert ReportIn().load(BODY).answers == {}


@pytest.mark.parametrize("answers", [[], "light_out", None, 1])
def test_answers_that_are_not_an_object_are_refused(answers):
    with pytest.raises(ValidationError) as err:
        ReportIn().load({**BODY, "answers": answers})
    assert "answers" in err.value.messages


@pytest.mark.parametrize("value", [None, [], {"x": 1}, "x" * 501])
def test_an_answer_that_no_question_could_take_is_refused_by_the_schema(value):
    with pytest.raises(ValidationError) as err:
        ReportIn().load({**BODY, "answers": {"light_out": value}})
    assert "light_out" in err.value.messages["answers"]


def test_every_question_kind_maps_to_an_open311_attribute_datatype():
    from feedbackgis.domain.questions import OPEN311_DATATYPES

    assert set(OPEN311_DATATYPES) == set(QuestionKind)
    assert set(OPEN311_DATATYPES.values()) <= {"string", "number", "datetime", "text",
                                               "singlevaluelist", "multivaluelist"}

"""`feedbackgis categories questions ...` and category descriptions, through Flask's CLI runner."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.models import Category, CategoryQuestion

from .factories import make_category, make_report

LIGHT_OUT = ("--kind", "yesno", "--fi", "Onko valo kokonaan sammunut?",
             "--sv", "Är lampan helt släckt?", "--en", "Is the light completely out?")
NUMBER_KNOWN = ("--kind", "choice", "--fi", "Tiedätkö numeron?", "--sv", "Vet du numret?",
                "--en", "Pole or lamp number known?",
                "--option", "pole=Pylvään numero|Stolpens nummer|The pole number",
                "--option", "lamp=Lampun numero|Lampans nummer|The lamp number",
                "--option", "no=Ei|Nej|No")


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


@pytest.fixture
def streetlight(session):
    category = make_category(session, "streetlight")
    session.commit()  # a refused command rolls back what is not committed
    return category


def questions(session, category: str = "streetlight") -> list[CategoryQuestion]:
    category_id = session.scalar(select(Category.id).where(Category.code == category))
    # The commands commit in sessions of their own; this one must read what they stored.
    query = (select(CategoryQuestion).where(CategoryQuestion.category_id == category_id)
             .order_by(CategoryQuestion.position).execution_options(populate_existing=True))
    return list(session.scalars(query))


def category_row(session, code: str) -> Category | None:
    query = select(Category).where(Category.code == code)
    return session.scalar(query.execution_options(populate_existing=True))


def refused(result, words: str) -> bool:
    return result.exit_code == 1 and words in result.output and "Traceback" not in result.output


def test_required_yes_no_question_is_added_and_listed_in_three_languages(cli, session,
                                                                         streetlight):
    result = cli("categories", "questions", "add", "streetlight", "light_out", *LIGHT_OUT,
                 "--required")
    assert result.exit_code == 0, result.output
    listing = cli("categories", "questions", "list", "streetlight").output
    assert "light_out" in listing and "required" in listing
    for prompt in ("Onko valo kokonaan sammunut?", "Är lampan helt släckt?",
                   "Is the light completely out?"):
        assert prompt in listing
    [question] = questions(session)
    assert (question.kind, question.required, question.position, question.active) == (
        "yesno", True, 1, True)


def test_choice_question_keeps_its_options_in_the_order_given(cli, session, streetlight):
    result = cli("categories", "questions", "add", "streetlight", "number_known", *NUMBER_KNOWN)
    assert result.exit_code == 0, result.output
    [question] = questions(session)
    assert question.option_keys == ["pole", "lamp", "no"]
    assert [o.label("sv") for o in question.options] == ["Stolpens nummer", "Lampans nummer",
                                                         "Nej"]
    assert "The lamp number" in cli("categories", "questions", "list", "streetlight").output


def test_questions_are_ordered_by_position_and_move(cli, session, streetlight):
    cli("categories", "questions", "add", "streetlight", "light_out", *LIGHT_OUT)
    cli("categories", "questions", "add", "streetlight", "number_known", *NUMBER_KNOWN)
    first = cli("categories", "questions", "add", "streetlight", "note", "--kind", "text",
                "--fi", "Lisätietoa", "--sv", "Mer information", "--en", "More", "--position", "1")
    assert first.exit_code == 0, first.output
    assert [q.code for q in questions(session)] == ["note", "light_out", "number_known"]
    moved = cli("categories", "questions", "move", "streetlight", "note", "3")
    assert moved.exit_code == 0, moved.output
    assert [(q.code, q.position) for q in questions(session)] == [
        ("light_out", 1), ("number_known", 2), ("note", 3)]


@pytest.mark.parametrize(("args", "words"), [
    (("add", "nosuch", "light_out", *LIGHT_OUT), "No category 'nosuch'"),
    (("add", "streetlight", "Light Out", *LIGHT_OUT), "A question code is"),
    (("add", "streetlight", "number_known", *NUMBER_KNOWN[:8]), "needs at least 2 options"),
    (("add", "streetlight", "number_known", *NUMBER_KNOWN[:10]), "needs at least 2 options"),
    (("add", "streetlight", "light_out", *LIGHT_OUT, "--option", "a=A|A|A"),
     "Only a choice question has options"),
    (("add", "streetlight", "number_known", *NUMBER_KNOWN[:8], "--option", "pole=Pylväs|Stolpe"),
     "KEY=Finnish|Swedish|English"),
    (("add", "streetlight", "number_known", *NUMBER_KNOWN[:8], "--option", "a=A|A|A",
      "--option", "a=B|B|B"), "given twice"),
    (("add", "streetlight", "number_known", *NUMBER_KNOWN[:8], "--option", "A b=A|A|A",
      "--option", "c=C|C|C"), "Option key 'A b'"),
    (("add", "streetlight", "number_known", *NUMBER_KNOWN[:8], "--option", "a=A| |A",
      "--option", "c=C|C|C"), "label of option 'a'"),
    (("add", "streetlight", "light_out", "--kind", "yesno", "--fi", "Sammunut?", "--sv", " ",
      "--en", "Out?"), "prompt in Finnish, Swedish and English"),
    (("add", "streetlight", "light_out", *LIGHT_OUT, "--position", "3"), "position must be 1 to 1"),
    (("list", "nosuch"), "No category 'nosuch'"),
    (("remove", "streetlight", "nosuch"), "has no question 'nosuch'"),
    (("move", "streetlight", "nosuch", "1"), "has no question 'nosuch'"),
])
def test_wrong_question_command_is_refused_clearly_and_stores_nothing(cli, session,
                                                                      streetlight, args, words):
    result = cli("categories", "questions", *args)
    assert refused(result, words), result.output
    assert questions(session) == []


def test_duplicate_question_code_is_refused(cli, session, streetlight):
    cli("categories", "questions", "add", "streetlight", "light_out", *LIGHT_OUT)
    again = cli("categories", "questions", "add", "streetlight", "light_out", *LIGHT_OUT)
    assert refused(again, "has a question 'light_out' already"), again.output
    assert len(questions(session)) == 1


def test_the_same_code_may_be_used_in_another_category(cli, session, streetlight):
    make_category(session, "pothole")
    cli("categories", "questions", "add", "streetlight", "light_out", *LIGHT_OUT)
    other = cli("categories", "questions", "add", "pothole", "light_out", *LIGHT_OUT)
    assert other.exit_code == 0, other.output


def test_question_no_report_answered_is_deleted(cli, session, streetlight):
    cli("categories", "questions", "add", "streetlight", "light_out", *LIGHT_OUT)
    cli("categories", "questions", "add", "streetlight", "number_known", *NUMBER_KNOWN)
    result = cli("categories", "questions", "remove", "streetlight", "light_out")
    assert result.exit_code == 0 and "Removed" in result.output, result.output
    assert [(q.code, q.position) for q in questions(session)] == [("number_known", 1)]


def test_answered_question_is_deactivated_and_its_code_stays_taken(cli, session, streetlight):
    cli("categories", "questions", "add", "streetlight", "light_out", *LIGHT_OUT)
    report = make_report(session, streetlight)
    report.answers = {"light_out": True}
    session.commit()
    result = cli("categories", "questions", "remove", "streetlight", "light_out")
    assert result.exit_code == 0 and "keep their answers" in result.output, result.output
    [question] = questions(session)
    assert question.active is False
    assert "removed (answers kept)" in cli("categories", "questions", "list",
                                           "streetlight").output
    again = cli("categories", "questions", "add", "streetlight", "light_out", *LIGHT_OUT)
    assert refused(again, "choose another"), again.output
    assert "removed already" in cli("categories", "questions", "remove", "streetlight",
                                    "light_out").output


def test_category_without_questions_says_so(cli, streetlight):
    result = cli("categories", "questions", "list", "streetlight")
    assert result.exit_code == 0 and "has no questions" in result.output


def test_category_descriptions_are_added_updated_and_cleared(cli, session):
    added = cli("categories", "add", "pothole", "--fi", "Kuoppa", "--sv", "Grop", "--en", "Pothole",
                "--description-fi", "Kuopat tiessä", "--description-sv", "Gropar i vägen",
                "--description-en", "Holes in the road")
    assert added.exit_code == 0, added.output
    assert category_row(session, "pothole").description("sv") == "Gropar i vägen"
    updated = cli("categories", "update", "pothole", "--en", "Potholes",
                  "--description-en", "Potholes in the road")
    assert updated.exit_code == 0, updated.output
    category = category_row(session, "pothole")
    assert (category.name_en, category.description_en) == ("Potholes", "Potholes in the road")
    cleared = cli("categories", "update", "pothole", "--description-fi", "",
                  "--description-sv", "", "--description-en", "")
    assert cleared.exit_code == 0, cleared.output
    assert category_row(session, "pothole").description("fi") is None


@pytest.mark.parametrize("args", [
    ("add", "pothole", "--fi", "Kuoppa", "--sv", "Grop", "--en", "Pothole",
     "--description-fi", "Kuopat tiessä"),
    ("update", "streetlight", "--description-en", "Lights"),
])
def test_description_in_only_some_languages_is_refused(cli, session, streetlight, args):
    result = cli("categories", *args)
    assert refused(result, "Finnish, Swedish and English, or in none"), result.output
    assert category_row(session, "pothole") is None
    assert category_row(session, "streetlight").description_en is None


def test_update_of_an_unknown_category_is_refused(cli):
    assert refused(cli("categories", "update", "nosuch", "--fi", "X"), "No category 'nosuch'")

"""`feedbackgis templates` through Flask's CLI runner."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.models import ResponseTemplate

from .factories import make_category

TEXTS = ("--fi", "Kiitos! Ilmoitus #{id} on korjattu.", "--sv", "Tack! Anmälan #{id} är "
         "åtgärdad.", "--en", "Thanks! Report #{id} is fixed.")


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def _templates(session):
    session.expire_all()
    return session.scalars(select(ResponseTemplate).order_by(ResponseTemplate.id)).all()


def _refused(result, words):
    return result.exit_code == 1 and words in result.output and "Traceback" not in result.output


def test_a_template_is_added_listed_edited_and_removed(cli, session):
    category = make_category(session, "streetlight")
    added = cli("templates", "add", "--status", "fixed", "--category", "streetlight",
                "--title", "Lamppu vaihdettu", *TEXTS, "--auto")
    assert added.exit_code == 0, added.output
    [template] = _templates(session)
    assert (template.category_id, template.status, template.auto_response) == (
        category.id, "fixed", True)
    assert f"Added automatic answer {template.id} 'Lamppu vaihdettu'" in added.output

    every = cli("templates", "add", "--status", "rejected", "--all", "--title", "Hylätty",
                *TEXTS)
    assert every.exit_code == 0, every.output
    listing = cli("templates", "list", "--category", "streetlight").output.splitlines()
    assert listing[0].split() == [str(template.id), "fixed", "streetlight", "auto",
                                  "Lamppu", "vaihdettu"]
    assert listing[1].split()[1:] == ["rejected", "*", "-", "Hylätty"]

    edited = cli("templates", "edit", str(template.id), "--en", "Fixed: #{id}.", "--no-auto")
    assert edited.exit_code == 0, edited.output
    template = _templates(session)[0]
    assert (template.text_en, template.auto_response) == ("Fixed: #{id}.", False)
    assert template.text_fi == TEXTS[1]

    removed = cli("templates", "remove", str(template.id))
    assert removed.exit_code == 0 and f"Removed template {template.id}" in removed.output
    assert [t.title for t in _templates(session)] == ["Hylätty"]


def test_an_empty_list_says_so(cli):
    assert cli("templates", "list").output.strip() == "No response templates."


@pytest.mark.parametrize(("changed", "words"), [
    ({"--status": "solved"}, "No status 'solved'"),
    ({"--category": "nosuch"}, "No category 'nosuch'"),
    ({"--fi": "Hei {nimi}"}, "Unknown placeholder {nimi}"),
    ({"--sv": " "}, "its text in Finnish, Swedish and English"),
    ({"--en": "x" * 4001}, "at most 4000 characters"),
    ({"--title": "x" * 201}, "at most 200 characters"),
], ids=["status", "category", "placeholder", "empty-text", "long-text", "long-title"])
def test_bad_input_is_refused_clearly_and_nothing_is_stored(cli, session, changed, words):
    options = {"--status": "fixed", "--title": "Otsikko", "--fi": "fi", "--sv": "sv",
               "--en": "en", **changed}
    scope = [] if "--category" in options else ["--all"]
    result = cli("templates", "add", *[item for pair in options.items() for item in pair],
                 *scope)
    assert _refused(result, words), result.output
    assert _templates(session) == []


def test_a_second_automatic_answer_is_refused_naming_the_first(cli, session):
    make_category(session, "bench")
    cli("templates", "add", "--status", "fixed", "--category", "bench", "--title", "Ensin",
        *TEXTS, "--auto")
    [first] = _templates(session)
    again = cli("templates", "add", "--status", "fixed", "--category", "bench", "--title",
                "Toinen", *TEXTS, "--auto")
    assert _refused(again, f"Template {first.id} 'Ensin' is already the automatic answer")
    other = cli("templates", "add", "--status", "fixed", "--category", "bench", "--title",
                "Toinen", *TEXTS)
    assert other.exit_code == 0, other.output
    second = _templates(session)[1]
    made_auto = cli("templates", "edit", str(second.id), "--auto")
    assert _refused(made_auto, f"Template {first.id} 'Ensin'")
    assert [t.auto_response for t in _templates(session)] == [True, False]


def test_unknown_ids_and_unusable_options_are_refused(cli, session):
    assert _refused(cli("templates", "edit", "999", "--title", "x"), "No response template 999")
    assert _refused(cli("templates", "remove", "999"), "No response template 999")
    make_category(session, "bench")
    both = cli("templates", "add", "--status", "fixed", "--category", "bench", "--all",
               "--title", "T", *TEXTS)
    neither = cli("templates", "add", "--status", "fixed", "--title", "T", *TEXTS)
    nothing = cli("templates", "edit", "1")
    for usage in (both, neither, nothing):  # click's usage errors exit with 2
        assert usage.exit_code == 2 and "Traceback" not in usage.output, usage.output
    assert "either --category CODE or --all" in both.output
    assert "Nothing to change" in nothing.output
    assert _templates(session) == []


def test_the_templates_commands_have_help(cli):
    for args in (("templates",), ("templates", "add"), ("templates", "edit")):
        result = cli(*args, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output
    assert "{id}, {category}" in cli("templates", "--help").output

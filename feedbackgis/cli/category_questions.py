"""`feedbackgis categories questions ...`: a category's extra questions, over services."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.domain.questions import QuestionKind
from feedbackgis.extensions import db
from feedbackgis.models import CategoryQuestion
from feedbackgis.services.admin.audit import CLI
from feedbackgis.services.catalog import questions as service

OPTION_FORM = "KEY=Finnish|Swedish|English"


@click.group("questions")
def questions_group() -> None:
    """Extra questions a report in a category answers (text, number, yes/no, choice)."""


def _option(text: str) -> service.OptionFields:
    key, equals, labels = text.partition("=")
    parts = labels.split("|")
    if not equals or len(parts) != 3:
        # ClickException, not BadParameter: every refusal of these commands exits with 1.
        raise click.ClickException(f"--option {text!r}: write it as {OPTION_FORM}, e.g. "
                                   "pole=Pylvään numero|Stolpens nummer|Pole number.")
    return service.OptionFields(key.strip(), *parts)


@questions_group.command("add")
@click.argument("category")
@click.argument("code")
@click.option("--kind", type=click.Choice([k.value for k in QuestionKind]), required=True,
              help="text (up to 500 characters), number, yesno, or choice (one of --option).")
@click.option("--fi", "prompt_fi", required=True, help="The question in Finnish.")
@click.option("--sv", "prompt_sv", required=True, help="The question in Swedish.")
@click.option("--en", "prompt_en", required=True, help="The question in English.")
@click.option("--required", is_flag=True, help="A report must answer it.")
@click.option("--option", "options", multiple=True, metavar=OPTION_FORM,
              help="A choice of a choice question (repeat, in the order shown).")
@click.option("--position", type=int,
              help="Place in the form (1 = first); default: after the others.")
@with_appcontext
@fail_on_service_error
def add_question(category: str, code: str, kind: str, prompt_fi: str, prompt_sv: str,
                 prompt_en: str, required: bool, options: tuple[str, ...],
                 position: int | None) -> None:
    """Add the question CODE to CATEGORY."""
    fields = service.QuestionFields(
        QuestionKind(kind), prompt_fi, prompt_sv, prompt_en, required,
        tuple(_option(text) for text in options), position)
    question = service.add_question(db.session, category, code, fields, actor=CLI)
    click.echo(f"Added question '{question.code}' to '{category}' at position "
               f"{question.position}.")


def _describe(question: CategoryQuestion) -> list[str]:
    place = f"{question.position:>3}" if question.active else "  -"
    state = ("required" if question.required else "optional") if question.active else (
        "removed (answers kept)")
    prompts = " | ".join((question.prompt_fi, question.prompt_sv, question.prompt_en))
    lines = [f"{place}  {question.code:<20} {question.kind:<7} {state:<9}  {prompts}"]
    lines += [f"{'':>7}{o.key:<20} {' | '.join((o.label_fi, o.label_sv, o.label_en))}"
              for o in question.options]
    return lines


@questions_group.command("list")
@click.argument("category")
@with_appcontext
@fail_on_service_error
def list_questions(category: str) -> None:
    """List the questions of CATEGORY in the form's order: position, code, kind, required,
    the question in fi | sv | en, and the options of choice questions."""
    questions = service.list_questions(db.session, category)
    if not questions:
        click.echo(f"Category '{category}' has no questions.")
    for question in questions:
        click.echo("\n".join(_describe(question)))


@questions_group.command("move")
@click.argument("category")
@click.argument("code")
@click.argument("position", type=int)
@with_appcontext
@fail_on_service_error
def move_question(category: str, code: str, position: int) -> None:
    """Move the question CODE of CATEGORY to POSITION (1 = first)."""
    service.move_question(db.session, category, code, position, actor=CLI)
    click.echo(f"Question '{code}' of '{category}' is now at position {position}.")


REMOVALS = {
    service.Removal.DELETED: "Removed question '{code}' of '{category}'.",
    service.Removal.DEACTIVATED: "Question '{code}' of '{category}' is no longer asked; "
                                 "reports that answered it keep their answers.",
    service.Removal.ALREADY_INACTIVE: "Question '{code}' of '{category}' was removed already.",
}


@questions_group.command("remove")
@click.argument("category")
@click.argument("code")
@with_appcontext
@fail_on_service_error
def remove_question(category: str, code: str) -> None:
    """Stop asking the question CODE of CATEGORY (deleted if no report answered it)."""
    outcome = service.remove_question(db.session, category, code, actor=CLI)
    click.echo(REMOVALS[outcome].format(code=code, category=category))

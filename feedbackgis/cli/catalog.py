"""`feedbackgis parties ...` and `feedbackgis categories ...`: thin commands over services
(the same as the admin pages'), each change recorded in the audit trail as made by "cli"."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from feedbackgis.cli.category_questions import questions_group
from feedbackgis.cli.handling_times import (
    NONE,
    EmailOrNone,
    WorkingDays,
    category_handling_days,
    party_manager_email,
)
from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.extensions import db
from feedbackgis.i18n import LANGUAGES
from feedbackgis.models import Category, Party, PartyKind, PublishPolicy
from feedbackgis.services.admin.audit import CLI
from feedbackgis.services.catalog import parties_and_categories as catalog

KINDS = click.Choice([k.value for k in PartyKind])
POLICIES = click.Choice([p.value for p in PublishPolicy])
LANGUAGE = click.Choice(LANGUAGES)


@click.group("parties")
def parties_group() -> None:
    """Responsible units and contractors that reports are routed to."""


@parties_group.command("list")
@with_appcontext
def list_parties() -> None:
    """List parties: id, kind, name, contact emails, active."""
    for p in db.session.scalars(select(Party).order_by(Party.name)):
        state = "" if p.active else "  (inactive)"
        click.echo(f"{p.id:>5}  {p.kind:<10}  {p.name}  <{', '.join(p.emails)}>{state}")


@parties_group.command("add")
@click.argument("name")
@click.option("--kind", type=KINDS, default="unit",
              show_default=True, help="A municipal unit or a contractor.")
@click.option("--email", "emails", multiple=True, help="Where notifications go (repeatable).")
@click.option("--manager-email", type=EmailOrNone(),
              help="Who hears of reports still overdue after the party was reminded.")
@click.option("--language", type=LANGUAGE,
              help="The language of the monthly summaries to its emails; fi if not given.")
@with_appcontext
@fail_on_service_error
def add_party(name: str, kind: str, emails: tuple[str, ...], manager_email: str | None,
              language: str | None) -> None:
    """Add a party called NAME."""
    party = catalog.add_party(db.session, name, PartyKind(kind), list(emails),
                              manager_email=manager_email, language=language, actor=CLI)
    click.echo(f"Added {party.kind} '{party.name}' (id {party.id}).")


@parties_group.command("update")
@click.argument("name")
@click.option("--email", "emails", multiple=True, help="Replace the emails (repeatable).")
@click.option("--active/--inactive", default=None, help="Inactive parties get no new reports.")
@click.option("--kind", type=KINDS, help="A municipal unit or a contractor (only for a party "
                                         "with no staff users).")
@click.option("--language", type=LANGUAGE,
              help="The language of the monthly summaries to its emails.")
@with_appcontext
@fail_on_service_error
def update_party(name: str, emails: tuple[str, ...], active: bool | None,
                 kind: str | None, language: str | None) -> None:
    """Change the emails, the kind, the language or the active state of the party NAME."""
    party = catalog.update_party(db.session, name, emails=list(emails) or None, active=active,
                                 kind=PartyKind(kind) if kind else None, language=language,
                                 actor=CLI)
    click.echo(f"Updated {party.kind} '{party.name}': emails {party.emails}, "
               f"active {party.active}.")


parties_group.add_command(party_manager_email)


@click.group("categories")
def categories_group() -> None:
    """Report categories: names, descriptions, Open311 groups and keywords in fi/sv/en,
    default party, publish policy, extra questions."""


categories_group.add_command(questions_group)
categories_group.add_command(category_handling_days)


# The optional texts of a category, each in all three languages or in none.
OPTIONAL_TEXTS = (
    ("description", "Short description in {name} (all three, or none)."),
    ("group", "Open311 group in {name}, the heading other apps list it under (all three, "
              "or none)."),
    ("keywords", "Open311 keywords in {name}, comma-separated words a resident might search "
                 "for (all three, or none)."),
)


def description_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--description-fi/-sv/-en (a line telling residents what belongs in the category),
    --group-fi/-sv/-en and --keywords-fi/-sv/-en (what Open311's services list gives)."""
    for text, help_text in reversed(OPTIONAL_TEXTS):
        for language, name in (("en", "English"), ("sv", "Swedish"), ("fi", "Finnish")):
            command = click.option(f"--{text}-{language}", f"{text}_{language}",
                                   help=help_text.format(name=name))(command)
    return command


@categories_group.command("list")
@with_appcontext
def list_categories() -> None:
    """List categories: code, Finnish name, default party, policy, active."""
    for c in db.session.scalars(select(Category).order_by(Category.code)):
        party = c.default_party.name if c.default_party else "-"
        state = "" if c.active else "  (inactive)"
        click.echo(f"{c.code:<20} {c.name_fi:<30} {party:<25} {c.publish_policy}{state}")


@categories_group.command("add")
@click.argument("code")
@click.option("--fi", "name_fi", required=True, help="Name in Finnish.")
@click.option("--sv", "name_sv", required=True, help="Name in Swedish.")
@click.option("--en", "name_en", required=True, help="Name in English.")
@click.option("--default-party", help="Party that gets reports outside every zone.")
@click.option("--publish", type=POLICIES,
              default="moderated", show_default=True, help="When reports become public.")
@click.option("--share-contact/--no-share-contact", default=False, show_default=True,
              help="Whether the reporter's contact may be passed to the responsible party.")
@click.option("--handling-days", type=WorkingDays(),
              help="Working days from assignment to the due date (default 10).")
@description_options
@with_appcontext
@fail_on_service_error
def add_category(code: str, name_fi: str, name_sv: str, name_en: str,
                 default_party: str | None, publish: str, share_contact: bool,
                 handling_days: int | None, **texts: str | None) -> None:
    """Add the category CODE."""
    fields = catalog.CategoryFields(name_fi, name_sv, name_en, default_party,
                                    PublishPolicy(publish), share_contact, **texts,
                                    handling_days=handling_days)
    category = catalog.add_category(db.session, code, fields, actor=CLI)
    click.echo(f"Added category '{category.code}' (id {category.id}).")


@categories_group.command("update")
@click.argument("code")
@click.option("--fi", "name_fi", help="Name in Finnish.")
@click.option("--sv", "name_sv", help="Name in Swedish.")
@click.option("--en", "name_en", help="Name in English.")
@description_options
@click.option("--default-party", metavar="NAME|none",
              help="Party that gets reports outside every zone (none: triage).")
@click.option("--publish", "publish_policy", type=POLICIES, help="When reports become public.")
@click.option("--share-contact/--no-share-contact", "share_contact_with_party", default=None,
              help="Whether the reporter's contact may be passed to the responsible party.")
@click.option("--handling-days", type=WorkingDays(),
              help="Working days from assignment to the due date.")
@click.option("--active/--inactive", default=None,
              help="Whether the category takes new reports.")
@with_appcontext
@fail_on_service_error
def update_category(code: str, default_party: str | None, publish_policy: str | None,
                    **changes: str | int | bool | None) -> None:
    """Change the names, descriptions, groups, keywords ("" clears the last three) or
    policies of the category CODE."""
    if default_party is not None and default_party.strip().lower() == NONE:
        default_party = ""
    catalog.update_category(db.session, code, catalog.CategoryChanges(
        default_party=default_party,
        publish_policy=PublishPolicy(publish_policy) if publish_policy else None, **changes),
        actor=CLI)
    click.echo(f"Updated category '{code}'.")


@categories_group.command("deactivate")
@click.argument("code")
@with_appcontext
@fail_on_service_error
def deactivate_category(code: str) -> None:
    """Stop taking new reports in the category CODE (existing reports stay)."""
    catalog.set_category_active(db.session, code, False, actor=CLI)
    click.echo(f"Category '{code}' no longer takes new reports.")

"""`feedbackgis templates ...`: staff's ready answers, thin commands over
services/catalog/response_templates.py."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.domain.response_texts import PLACEHOLDERS
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import db
from feedbackgis.services.admin.audit import CLI
from feedbackgis.services.catalog import response_templates as service

STATUSES = ", ".join(status.value for status in ReportStatus)
PLACEHOLDER_HELP = ", ".join("{" + name + "}" for name in PLACEHOLDERS)


@click.group("templates", help=(
    "Response templates: ready answers per category and status in fi/sv/en; an automatic "
    "one is sent to the reporter when a report enters its status. Texts may use the "
    f"placeholders {PLACEHOLDER_HELP} ({{{{ and }}}} for a brace itself)."))
def templates_group() -> None:
    pass


@templates_group.command("add")
@click.option("--status", required=True, help=f"The status it answers: one of {STATUSES}.")
@click.option("--category", help="The category's code (or --all).")
@click.option("--all", "every_category", is_flag=True,
              help="For every category (a category's own automatic answer wins).")
@click.option("--title", required=True, help="What staff pick it by (at most 200 characters).")
@click.option("--fi", "text_fi", required=True, help="The text in Finnish.")
@click.option("--sv", "text_sv", required=True, help="The text in Swedish.")
@click.option("--en", "text_en", required=True, help="The text in English.")
@click.option("--auto", "auto_response", is_flag=True,
              help="Send it to the reporter automatically when a report enters the status.")
@with_appcontext
@fail_on_service_error
def add_template(status: str, category: str | None, every_category: bool, title: str,
                 text_fi: str, text_sv: str, text_en: str, auto_response: bool) -> None:
    """Add a response template."""
    if bool(category) == every_category:
        raise click.UsageError("Give either --category CODE or --all.")
    template = service.create_template(db.session, service.TemplateFields(
        status, category, title, text_fi, text_sv, text_en, auto_response), actor=CLI)
    kind = "automatic answer" if template.auto_response else "template"
    click.echo(f"Added {kind} {template.id} '{template.title}' for status "
               f"'{template.status}' of {category and repr(category) or 'every category'}.")


@templates_group.command("list")
@click.option("--category", help="Only those a category uses: its own and every category's.")
@with_appcontext
@fail_on_service_error
def list_templates(category: str | None) -> None:
    """List templates: id, status, category (* for every category), auto, title."""
    listed = service.list_templates(db.session, category)
    if not listed:
        click.echo("No response templates.")
    for item in listed:
        template = item.template
        auto = "auto" if template.auto_response else "-"
        click.echo(f"{template.id:>5}  {template.status:<12} {item.category_code or '*':<20} "
                   f"{auto:<5} {template.title}")


@templates_group.command("edit")
@click.argument("template_id", metavar="ID", type=int)
@click.option("--title", help="A new title.")
@click.option("--fi", "text_fi", help="A new Finnish text.")
@click.option("--sv", "text_sv", help="A new Swedish text.")
@click.option("--en", "text_en", help="A new English text.")
@click.option("--auto/--no-auto", "auto_response", default=None,
              help="Whether it is sent automatically.")
@with_appcontext
@fail_on_service_error
def edit_template(template_id: int, **changes: str | bool | None) -> None:
    """Change the title, the texts or the automatic sending of template ID."""
    if all(value is None for value in changes.values()):
        raise click.UsageError("Nothing to change: give --title, --fi, --sv, --en, --auto "
                               "or --no-auto.")
    template = service.update_template(db.session, template_id,
                                       service.TemplateChanges(**changes), actor=CLI)
    state = "automatic" if template.auto_response else "not automatic"
    click.echo(f"Updated template {template.id} '{template.title}' ({state}).")


@templates_group.command("remove")
@click.argument("template_id", metavar="ID", type=int)
@with_appcontext
@fail_on_service_error
def remove_template(template_id: int) -> None:
    """Remove template ID (events that used its text keep the text)."""
    service.remove_template(db.session, template_id, actor=CLI)
    click.echo(f"Removed template {template_id}.")

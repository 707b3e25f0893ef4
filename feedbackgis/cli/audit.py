"""`feedbackgis audit list`: the admin changes of the pages and the commands, newest first."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from feedbackgis.extensions import db
from feedbackgis.services.admin.audit import Entity, history, recent_changes


@click.group("audit")
def audit_group() -> None:
    """The audit trail: who changed the catalog, the users or the jobs, when, and how."""


@audit_group.command("list")
@click.option("--entity", type=click.Choice([e.value for e in Entity]),
              help="Only changes of this kind of thing.")
@click.option("--id", "entity_id", help="Only changes of this one (with --entity): its id.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@with_appcontext
def list_changes(entity: str | None, entity_id: str | None, limit: int) -> None:
    """List changes: when, who, what, and the changed fields before -> after (JSON)."""
    if entity_id is not None and entity is None:
        raise click.UsageError("--id needs --entity.")
    changes = (history(db.session, entity, entity_id, limit) if entity_id is not None
               else recent_changes(db.session, entity=entity, limit=limit))
    if not changes:
        click.echo("No changes recorded.")
    for change in changes:
        click.echo(f"{change.created_at:%Y-%m-%d %H:%M:%S}  {change.actor:<30} "
                   f"{change.entity} {change.entity_id} {change.action}")
        click.echo(f"    {json.dumps(change.before, ensure_ascii=False)} -> "
                   f"{json.dumps(change.after, ensure_ascii=False)}")

"""`feedbackgis apikeys ...`: the API keys of the systems that use the Open311 API, thin
commands over services/open311/api_keys.py.

A key is printed once, when made; nothing shows it again.
"""
from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.extensions import db
from feedbackgis.services.admin.audit import CLI
from feedbackgis.services.catalog.parties_and_categories import find_party
from feedbackgis.services.open311 import api_keys


@click.group("apikeys")
def apikeys_group() -> None:
    """API keys of the Open311 API (/open311/v2): one per client system, given as the
    api_key parameter."""


@apikeys_group.command("create")
@click.argument("name")
@click.option("--party", help="The party whose own system this is: the key may then change "
                               "the status of that party's reports and reply on them.")
@with_appcontext
@fail_on_service_error
def create_key(name: str, party: str | None) -> None:
    """Create a key for the system NAME and print it (this once: only its hash is kept)."""
    owner = find_party(db.session, party) if party else None
    key = api_keys.create_api_key(db.session, name, party=owner, actor=CLI)
    click.echo(f"Created the API key '{name.strip()}'. Keep it now; it is not shown again:",
               err=True)
    click.echo(key)


@apikeys_group.command("list")
@with_appcontext
@fail_on_service_error
def list_keys() -> None:
    """List keys: name, created, last used, revoked (never the key)."""
    rows = api_keys.list_api_keys(db.session)
    if not rows:
        click.echo("No API keys.")
    for row in rows:
        used = _when(row.last_used_at) or "never used"
        revoked = f"  revoked {_when(row.revoked_at)}" if row.revoked_at else ""
        owner = f"  party {row.party.name}" if row.party else ""
        click.echo(f"{row.name:<30}  created {_when(row.created_at)}  last used {used}"
                   f"{owner}{revoked}")


@apikeys_group.command("revoke")
@click.argument("name")
@with_appcontext
@fail_on_service_error
def revoke_key(name: str) -> None:
    """Revoke the key of the system NAME at once: requests with it are refused from now on."""
    row = api_keys.revoke_api_key(db.session, name, actor=CLI)
    click.echo(f"The API key '{row.name}' is revoked (since {_when(row.revoked_at)}).")


def _when(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else None

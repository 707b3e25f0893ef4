"""`feedbackgis tokens ...` (API tokens of contractor systems) and `feedbackgis parties
webhook` (a party's webhook): thin commands over services/contractor_api.

A token and a webhook secret are printed once, when made; nothing shows them again.
"""
from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.extensions import db
from feedbackgis.services.admin.audit import CLI
from feedbackgis.services.catalog.parties_and_categories import find_party
from feedbackgis.services.contractor_api import tokens, webhooks

NONE = "none"


@click.group("tokens")
def tokens_group() -> None:
    """API tokens: how a party's own system reads and updates its work orders
    (/api/v1/work-orders, with Authorization: Bearer <token>)."""


@tokens_group.command("create")
@click.option("--party", required=True, help="The party whose work orders the token opens.")
@click.option("--name", help="What uses it, e.g. the system's name (default: API).")
@with_appcontext
@fail_on_service_error
def create_token(party: str, name: str | None) -> None:
    """Create a token for the party and print it (this once: only its hash is kept)."""
    created = tokens.create_token(db.session, find_party(db.session, party), name, actor=CLI)
    api_token = created.api_token
    click.echo(f"Created API token {api_token.id} '{api_token.name}' for '{party}'. "
               "Keep it now; it is not shown again:", err=True)
    click.echo(created.token)


@tokens_group.command("list")
@click.option("--party", help="Only this party's tokens.")
@with_appcontext
@fail_on_service_error
def list_tokens(party: str | None) -> None:
    """List tokens: id, party, name, created, last used, revoked (never the token)."""
    chosen = find_party(db.session, party) if party else None
    rows = tokens.list_tokens(db.session, chosen)
    if not rows:
        click.echo("No API tokens.")
    for row in rows:
        used = _when(row.last_used_at) or "never used"
        revoked = f"  revoked {_when(row.revoked_at)}" if row.revoked_at else ""
        click.echo(f"{row.id:>5}  {row.party.name:<25}  {row.name:<30}  created "
                   f"{_when(row.created_at)}  last used {used}{revoked}")


@tokens_group.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2**31 - 1), metavar="ID")
@with_appcontext
@fail_on_service_error
def revoke_token(token_id: int) -> None:
    """Revoke the token ID at once: requests with it are refused from now on."""
    row = tokens.revoke_token(db.session, token_id, actor=CLI)
    click.echo(f"API token {row.id} '{row.name}' of '{row.party.name}' is revoked "
               f"(since {_when(row.revoked_at)}).")


def _when(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else None


@click.command("webhook")
@click.argument("name")
@click.argument("url", metavar="URL|none")
@with_appcontext
@fail_on_service_error
def party_webhook(name: str, url: str) -> None:
    """Send the party NAME's work-order news to URL (http or https), signed with a new
    secret printed once; `none` stops them."""
    party = find_party(db.session, name)
    wanted = None if url.strip().lower() == NONE else url
    secret = webhooks.set_webhook(db.session, party, wanted, actor=CLI)
    if secret is None:
        click.echo(f"'{party.name}' has no webhook now.")
        return
    click.echo(f"'{party.name}' is told at its webhook from now on. Its signing secret, "
               "shown this once (HMAC-SHA256, see the API's documentation):", err=True)
    click.echo(secret)

"""`feedbackgis users ...`: staff accounts, thin commands over services/staff/users.py."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.domain.permissions import Role
from feedbackgis.extensions import db
from feedbackgis.services.staff import users as staff_users

ROLES = ", ".join(r.value for r in Role)


@click.group("users")
def users_group() -> None:
    """Staff accounts: who signs in, with which role (and, for some roles, which party)."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", required=True, help=f"One of: {ROLES}.")
@click.option("--party", help="The party of a handler (a unit) or a contractor; required for "
                              "those roles, refused for the others.")
@click.option("--name", help="The person's name, as colleagues see it.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of stdin (required; at least "
                   f"{staff_users.MIN_PASSWORD_LENGTH} characters).")
@with_appcontext
@fail_on_service_error
def create_user(email: str, role: str, party: str | None, name: str | None,
                password_stdin: bool) -> None:
    """Create the staff account EMAIL (stored lower-case)."""
    if not password_stdin:
        # Never as an argument: it would stay in the shell's history and in `ps`.
        raise click.ClickException("Give the password on stdin with --password-stdin.")
    password = sys.stdin.readline().rstrip("\r\n")
    user = staff_users.create_user(db.session, email, role, password, party=party, name=name)
    scope = f" of '{user.party.name}'" if user.party else ""
    click.echo(f"Created {user.role} {user.email}{scope} (id {user.id}).")


@users_group.command("list")
@with_appcontext
def list_users() -> None:
    """List staff accounts: id, email, role, party, name, state."""
    users = staff_users.list_users(db.session)
    if not users:
        click.echo("No users.")
    for u in users:
        state = "" if u.active else "  (disabled)"
        party = u.party.name if u.party else "-"
        click.echo(f"{u.id:>5}  {u.email:<40} {u.role:<10}  {party:<25} {u.name or '-'}{state}")


@users_group.command("disable")
@click.argument("email")
@with_appcontext
@fail_on_service_error
def disable_user(email: str) -> None:
    """Disable the account EMAIL: no sign-in, no rights; kept for the reports' history."""
    user = staff_users.disable_user(db.session, email)
    click.echo(f"Disabled {user.email}.")

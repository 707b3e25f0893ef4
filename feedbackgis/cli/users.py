"""`feedbackgis users ...`: staff accounts, thin commands over services/staff/users.py (the
same as the admin pages'), each change recorded in the audit trail as made by "cli"."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.domain.permissions import Role
from feedbackgis.extensions import db
from feedbackgis.i18n import LANGUAGES
from feedbackgis.services.admin.audit import CLI
from feedbackgis.services.staff import users as staff_users

ROLES = ", ".join(r.value for r in Role)
LANGUAGE = click.Choice(LANGUAGES)


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
              help="Read the password from the first line of stdin (at least "
                   f"{staff_users.MIN_PASSWORD_LENGTH} characters).")
@click.option("--send-link", is_flag=True,
              help="Instead of a password: email the user a link to choose one.")
@click.option("--language", type=LANGUAGE,
              help="The user's language: of the emails the service sends them (the link, "
                   "the monthly summaries); fi if not given.")
@with_appcontext
@fail_on_service_error
def create_user(email: str, role: str, party: str | None, name: str | None,
                password_stdin: bool, send_link: bool, language: str | None) -> None:
    """Create the staff account EMAIL (stored lower-case)."""
    if password_stdin == send_link:
        # Never as an argument: it would stay in the shell's history and in `ps`.
        raise click.ClickException("Give the password on stdin with --password-stdin, or "
                                   "email a link to choose one with --send-link.")
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    user = staff_users.create_user(db.session, email, role, password, party=party, name=name,
                                   send_password_link=send_link, language=language,
                                   actor=CLI)
    scope = f" of '{user.party.name}'" if user.party else ""
    link = "; a link to choose a password is on its way" if send_link else ""
    click.echo(f"Created {user.role} {user.email}{scope} (id {user.id}, language "
               f"{user.language}){link}.")


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


@users_group.command("update")
@click.argument("email")
@click.option("--role", help=f"A new role, one of: {ROLES}.")
@click.option("--party", metavar="NAME|none",
              help="A new party (for a handler or a contractor); none for no party.")
@click.option("--name", help="A new name (\"\" clears it).")
@click.option("--active/--inactive", default=None,
              help="Enable the account, or disable it (no sign-in, no rights).")
@click.option("--language", type=LANGUAGE,
              help="The language of the emails the service sends them (monthly summaries).")
@with_appcontext
@fail_on_service_error
def update_user(email: str, role: str | None, party: str | None, name: str | None,
                active: bool | None, language: str | None) -> None:
    """Change the role, party, name, language or active state of the account EMAIL."""
    if party is not None and party.strip().lower() == "none":
        party = ""
    user = staff_users.update_user(db.session, email, staff_users.UserChanges(
        name=name, role=role, party=party, active=active, language=language), actor=CLI)
    scope = f" of '{user.party.name}'" if user.party else ""
    state = "" if user.active else " (disabled)"
    click.echo(f"Updated {user.email}: {user.role}{scope}{state}.")


@users_group.command("password-link")
@click.argument("email")
@click.option("--language", type=LANGUAGE, help="The language of the email.")
@with_appcontext
@fail_on_service_error
def password_link(email: str, language: str | None) -> None:
    """Email the account EMAIL a link to choose a new password."""
    user = staff_users.send_password_link(db.session, email, language, actor=CLI)
    click.echo(f"A link to choose a password is on its way to {user.email}.")


@users_group.command("disable")
@click.argument("email")
@with_appcontext
@fail_on_service_error
def disable_user(email: str) -> None:
    """Disable the account EMAIL: no sign-in, no rights; kept for the reports' history."""
    user = staff_users.disable_user(db.session, email, actor=CLI)
    click.echo(f"Disabled {user.email}.")

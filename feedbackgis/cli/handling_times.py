"""`categories handling-days`, `zones handling-days`, `parties manager-email`: how long a
report may take, and who hears when it takes longer.

A malformed DAYS or EMAIL is a usage error (exit 2, click's message); an unknown category,
zone or party is refused like the other catalog commands (exit 1).
"""
from __future__ import annotations

from typing import Any

import click
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.domain.due_dates import MAX_WORKING_DAYS
from feedbackgis.extensions import db
from feedbackgis.services.admin.audit import CLI
from feedbackgis.services.catalog import handling_times
from feedbackgis.services.catalog.parties_and_categories import EMAIL

NONE = "none"


class WorkingDays(click.ParamType):
    """A whole number of working days, 0-MAX_WORKING_DAYS; with `or_none`, also `none`."""

    def __init__(self, or_none: bool = False) -> None:
        self.or_none = or_none
        self.name = "DAYS|none" if or_none else "DAYS"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int | None:
        text = str(value).strip()
        if self.or_none and text.lower() == NONE:
            return None
        if not text.isdigit() or int(text) > MAX_WORKING_DAYS:
            alternative = " or 'none'" if self.or_none else ""
            self.fail(f"{text!r} is not a number of working days (0-{MAX_WORKING_DAYS})"
                      f"{alternative}.", param, ctx)
        return int(text)


class EmailOrNone(click.ParamType):
    name = "EMAIL|none"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str | None:
        text = str(value).strip()
        if text.lower() == NONE:
            return None
        if not EMAIL.match(text):
            self.fail(f"{text!r} is not an email address (or 'none').", param, ctx)
        return text


@click.command("handling-days")
@click.argument("code")
@click.argument("days", type=WorkingDays())
@with_appcontext
@fail_on_service_error
def category_handling_days(code: str, days: int) -> None:
    """Set the handling time of the category CODE: DAYS working days from assignment
    (Finnish public holidays excepted). Reports assigned from now on get it."""
    handling_times.set_category_handling_days(db.session, code, days, actor=CLI)
    click.echo(f"Category '{code}': {days} working day(s).")


@click.command("handling-days")
@click.argument("zone_id", metavar="ZONE_ID", type=int)
@click.argument("days", type=WorkingDays(or_none=True))
@with_appcontext
@fail_on_service_error
def zone_handling_days(zone_id: int, days: int | None) -> None:
    """Set the contract's handling time in the zone ZONE_ID (see `zones list`): DAYS working
    days, or `none` for the category's own."""
    zone = handling_times.set_zone_handling_days(db.session, zone_id, days, actor=CLI)
    what = "the category's handling time" if days is None else f"{days} working day(s)"
    click.echo(f"Zone {zone.id} '{zone.name}': {what}.")


@click.command("manager-email")
@click.argument("name")
@click.argument("email", type=EmailOrNone())
@with_appcontext
@fail_on_service_error
def party_manager_email(name: str, email: str | None) -> None:
    """Set who is told when the party NAME's reports stay overdue after the party was
    reminded: EMAIL, or `none` for the service's managers (staff users with role manager)."""
    party = handling_times.set_party_manager_email(db.session, name, email, actor=CLI)
    who = party.manager_email or "the service's managers"
    click.echo(f"Party '{party.name}': overdue reports escalate to {who}.")

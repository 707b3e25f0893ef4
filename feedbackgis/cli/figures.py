"""`feedbackgis figures ...`: the managers' figures' rollups, brought up to date by hand
(the scheduler does it every few minutes and nightly; this is for after an import or a fix)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from feedbackgis.extensions import db
from feedbackgis.services.analytics.refresh import refresh_all_figures, refresh_changed_figures


@click.group("figures")
def figures_group() -> None:
    """The managers' figures: count the reports' monthly rollups again."""


@figures_group.command("refresh")
@click.option("--all", "everything", is_flag=True,
              help="Count every month again, not only those with changed reports.")
@with_appcontext
def refresh_command(everything: bool) -> None:
    """Count again the months whose reports changed since the last refresh (--all: every
    month); says which months were counted."""
    time_zone = current_app.config["TIMEZONE"]
    outcome = (refresh_all_figures(db.session, time_zone) if everything
               else refresh_changed_figures(db.session, time_zone))
    if outcome.full:
        click.echo("Every month counted again.")
    elif outcome.months:
        months = ", ".join(month.isoformat()[:7] for month in outcome.months)
        click.echo(f"Counted again: {months}.")
    else:
        click.echo("No changed reports: nothing to count again.")


class Month(click.ParamType):
    """A month written YYYY-MM."""

    name = "YYYY-MM"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        text = str(value).strip()
        try:
            return datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            self.fail(f"{text!r} is not a month written YYYY-MM (e.g. 2026-05).", param, ctx)


@figures_group.command("summary")
@click.option("--month", type=Month(),
              help="The month to summarise; the previous month (in TIMEZONE) if not given.")
@click.option("--dry-run", is_flag=True,
              help="Compose the emails and list them, but send and record nothing.")
@with_appcontext
def summary_command(month: date | None, dry_run: bool) -> None:
    """Send a month's summaries (the municipality's to managers and admins, each party's to
    its addresses and handlers) that were not sent yet; lists every email."""
    from feedbackgis.jobs.context import links, smtp_settings
    from feedbackgis.jobs.summaries import summary_settings
    from feedbackgis.services.analytics.monthly_summary import previous_month
    from feedbackgis.services.analytics.summary_sending import (
        Delivery,
        SummariesFailed,
        send_monthly_summaries,
    )

    settings = summary_settings()
    month = month or previous_month(datetime.now(UTC), settings.time_zone)
    try:
        run = send_monthly_summaries(db.session, smtp_settings(), links(), month=month,
                                     settings=settings, dry_run=dry_run)
    except SummariesFailed as exc:
        raise click.ClickException(f"{exc}; run the command again to send the rest.") from None
    for mail in run.mails:
        summary = mail.party or "the municipality"
        click.echo(f"{mail.delivery:<13} {mail.to:<40} {mail.language}  {summary}"
                   + (f"  | {mail.subject}" if mail.subject else ""))
    for party in run.skipped_parties:
        click.echo(f"no summary    {party}: no reports in {month:%Y-%m} or the month before")
    what = "would be sent" if dry_run else "sent"
    count = run.count(Delivery.WOULD_SEND if dry_run else Delivery.SENT)
    click.echo(f"{month:%Y-%m}: {count} email(s) {what}, "
               f"{run.count(Delivery.ALREADY_SENT)} sent before.")

"""`feedbackgis reports ...`: what staff need from the shell before the staff pages exist."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import db
from feedbackgis.services.reports.reads import list_reports


@click.group("reports")
def reports_group() -> None:
    """Reports: list them, e.g. those waiting in triage."""


@reports_group.command("list")
@click.option("--status", type=click.Choice([s.value for s in ReportStatus]),
              help="Only reports in this status (triage: no zone and no default party).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@with_appcontext
def list_command(status: str | None, limit: int) -> None:
    """Newest reports first: id, status, category, assigned party, created."""
    reports = list_reports(db.session, ReportStatus(status) if status else None, limit)
    if not reports:
        click.echo("No reports.")
    for r in reports:
        party = r.assigned_party.name if r.assigned_party else "-"
        click.echo(f"{r.id:>7}  {r.status:<12} {r.category.code:<16} {party:<30} "
                   f"{r.created_at:%Y-%m-%d %H:%M}")

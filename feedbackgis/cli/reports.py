"""`feedbackgis reports ...`: what staff need from the shell before the staff pages exist."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask.cli import with_appcontext

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import db
from feedbackgis.services.reports.reads import list_reports
from feedbackgis.services.staff.reopenings import reopenings_by_party


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


@reports_group.command("reopenings")
@click.option("--days", type=click.IntRange(1, 36_500), default=None,
              help="Only reopenings of the last DAYS days (default: all time).")
@with_appcontext
def reopenings_command(days: int | None) -> None:
    """How often residents said "not fixed" of each party's fixes: party, reopenings, reports."""
    since = datetime.now(UTC) - timedelta(days=days) if days else None
    rows = reopenings_by_party(db.session, since)
    if not rows:
        click.echo("No reopenings.")
    for row in rows:
        click.echo(f"{row.party:<40} {row.reopenings:>7} {row.reports:>7}")

"""`feedbackgis demo seed`: a demo municipality to try the service on."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.extensions import db
from feedbackgis.services.demo.demo_municipality import seed_demo


@click.group("demo")
def demo_group() -> None:
    """Demo data."""


@demo_group.command("seed")
@with_appcontext
@fail_on_service_error
def seed() -> None:
    """Load the demo municipality Esimerkkilä: parties, categories, area, zones, and half a
    year of reports into a database without reports (idempotent)."""
    summary = seed_demo(db.session, secret_key=current_app.config["SECRET_KEY"],
                        time_zone=current_app.config["TIMEZONE"])
    click.echo(
        f"Demo municipality ready: {summary.parties_added} parties, "
        f"{summary.categories_added} categories and {summary.questions_added} questions "
        f"added, {summary.zones} zones, {summary.reports_added} reports added, "
        f"service area {summary.area_km2:.1f} km²."
    )

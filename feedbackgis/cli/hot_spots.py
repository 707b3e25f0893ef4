"""`feedbackgis hotspots find`: the recurring hot spots found again now (as nightly)."""
from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from feedbackgis.cli.output import fail_on_service_error
from feedbackgis.extensions import db
from feedbackgis.services.analytics.hot_spots import MAX_DISTANCE_M, find_hot_spots, hot_spot_config


@click.group("hotspots")
def hot_spots_group() -> None:
    """Recurring hot spots: the same problem reported again and again at one place."""


@hot_spots_group.command("find")
@click.option("--distance", type=click.FloatRange(0, MAX_DISTANCE_M, min_open=True),
              default=None, metavar="METRES",
              help="Reports this near each other cluster (default HOT_SPOT_DISTANCE_M).")
@click.option("--min-reports", type=click.IntRange(2, 10_000), default=None,
              help="Reports a hot spot needs at least (default HOT_SPOT_MIN_REPORTS).")
@with_appcontext
@fail_on_service_error
def find_command(distance: float | None, min_reports: int | None) -> None:
    """Cluster the last 12 months' reports of each category and replace every hot spot."""
    configured_distance, configured_minimum, srid = hot_spot_config(current_app.config)
    distance = configured_distance if distance is None else distance
    min_reports = configured_minimum if min_reports is None else min_reports
    found = find_hot_spots(db.session, datetime.now(UTC), distance, min_reports, srid=srid)
    click.echo(f"{found.hot_spots} hot spot(s) found, holding {found.reports} report(s) "
               f"(at least {min_reports} reports within {distance:g} m, "
               f"since {found.since:%Y-%m-%d}).")

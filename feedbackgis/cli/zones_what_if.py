"""`feedbackgis zones what-if FILE`: what `zones import FILE` would do, committing nothing.

The same service as the admin page's preview (services/zones/upload_preview.py): the plan
(imported, replaced, refused, repaired, the CRS assumed) and where the latest reports would
now be routed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from feedbackgis.cli.zone_options import import_options, service_errors, zone_file_options
from feedbackgis.cli.zones_output import ProgressBars, print_preview
from feedbackgis.extensions import db
from feedbackgis.services.zones.upload_preview import preview_zone_import


@click.command("what-if")
@zone_file_options
@click.option("--reports", type=click.IntRange(min=1), metavar="N",
              help="How many of the latest reports to route both ways (default: "
                   "ZONE_WHAT_IF_REPORTS, 1000).")
@with_appcontext
def what_if_command(file: Path, reports: int | None, **options: Any) -> None:
    """Show what importing FILE would do, and which of the latest reports would now go to
    another party; nothing is written.

    FILE and the options are those of `zones import` (without --skip-invalid: refused
    features are listed, and the what-if routes with the others).

    \b
    Example:
      feedbackgis zones what-if urakka-2026.gpkg --party "Urakoitsija Oy" --replace
    """
    limit = reports or current_app.config["ZONE_WHAT_IF_REPORTS"]
    with ProgressBars() as progress, service_errors():
        preview = preview_zone_import(
            db.session(), file, import_options(**options), what_if_reports=limit,
            language=current_app.config["DEFAULT_LANGUAGE"], progress=progress,
        )
    db.session.rollback()
    print_preview(preview)

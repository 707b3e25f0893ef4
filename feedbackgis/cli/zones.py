"""`feedbackgis zones ...` and `feedbackgis area ...`: spatial data of the municipality.

Thin commands: options in, a service call with the app's session, a summary out. Service
errors become click errors (exit code 1, the message, no traceback).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from feedbackgis.cli.handling_times import zone_handling_days
from feedbackgis.cli.zone_options import (
    FILE_ARGUMENT,
    LAYER_HELP,
    SRID_HELP,
    service_errors,
    zone_file_options,
)
from feedbackgis.cli.zone_options import import_options as zone_import_options
from feedbackgis.cli.zones_output import (
    ProgressBars,
    print_import_summary,
    print_service_area_summary,
    print_zone_table,
)
from feedbackgis.cli.zones_what_if import what_if_command
from feedbackgis.extensions import db
from feedbackgis.services.admin.audit import CLI
from feedbackgis.services.zones.listing import count_zones, delete_zones, list_zones
from feedbackgis.services.zones.service_area_import import import_service_area
from feedbackgis.services.zones.zone_import import import_zones


@click.group("zones")
def zones_group() -> None:
    """Zones that route reports to parties: import, list, delete, handling times."""


zones_group.add_command(zone_handling_days)
zones_group.add_command(what_if_command)


@zones_group.command("import")
@zone_file_options
@click.option("--skip-invalid", is_flag=True,
              help="Import the acceptable features and report the refused ones, instead of "
                   "importing nothing.")
@with_appcontext
def import_command(file: Path, **options: Any) -> None:
    """Import the polygons of FILE as zones.

    FILE is GeoJSON (.geojson, .json), GeoPackage (.gpkg), Shapefile (.shp) or a .zip
    holding one, in any CRS: the file's own, else --srid, else EPSG:4326 for GeoJSON
    (RFC 7946). Edges are densified in the source CRS before reprojection to EPSG:4326,
    so boundaries stay where the source draws them. Invalid polygons are repaired and
    reported; points, lines and empty geometries are refused. All or nothing: if any
    feature is refused, or names an unknown party or category, nothing is imported
    (unless --skip-invalid). Feature numbers count from 1 in file order. See first what
    it would do with `feedbackgis zones what-if`.

    \b
    Examples:
      feedbackgis zones import alueet.gpkg --party "Urakoitsija Oy" --replace
      feedbackgis zones import areas.shp --srid 3067 --party-field URAKOITSIJ \\
          --categories-field LUOKAT --priority 5 --name-field NIMI
    """
    import_options = zone_import_options(**options)
    suggest_skipping = not import_options.skip_invalid
    with ProgressBars() as progress, service_errors(suggest_skipping):
        summary = import_zones(db.session(), file, import_options, progress, actor=CLI)
    print_import_summary(summary, skipped=import_options.skip_invalid)


@zones_group.command("list")
@click.option("--party", metavar="NAME", help="Only this party's zones.")
@with_appcontext
def list_command(party: str | None) -> None:
    """List zones: id, party, name, priority, categories, validity, area in km²."""
    with service_errors():
        zones = list_zones(db.session(), party)
    print_zone_table(zones, _local_timezone())


@zones_group.command("delete")
@click.option("--party", metavar="NAME", required=True, help="Delete this party's zones.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def delete_command(party: str, yes: bool) -> None:
    """Delete every zone of a party.

    Reports already assigned keep their party; their link to the deleted zone is cleared.
    """
    with service_errors():
        count = count_zones(db.session(), party)
        if count and not yes:
            click.confirm(f"Delete {count} zone(s) of {party!r}?", abort=True)
        deleted = delete_zones(db.session(), party, actor=CLI)
    click.echo(f"Deleted {deleted} zone(s) of {party!r}.")


@click.group("area")
def area_group() -> None:
    """The municipality's service area: reports outside it are refused."""


@area_group.command("import")
@click.argument("file", type=FILE_ARGUMENT)
@click.option("--name", help="Name of the service area (default: the file's name).")
@click.option("--srid", metavar="CRS", help=SRID_HELP)
@click.option("--layer", metavar="NAME", help=LAYER_HELP)
@with_appcontext
def area_import_command(file: Path, name: str | None, srid: str | None,
                        layer: str | None) -> None:
    """Replace the service area with the union of the polygons in FILE.

    FILE is read like `zones import` reads it (formats, CRS, densification, repairs);
    any point, line or empty geometry refuses the whole file.
    """
    with service_errors():
        summary = import_service_area(
            db.session(), file, name=name, srid=srid, layer=layer,
            densify_segment=current_app.config["ZONE_DENSIFY_SEGMENT"],
        )
    print_service_area_summary(summary)


def _local_timezone() -> ZoneInfo:
    # Validity dates are the municipality's calendar days, not UTC days.
    return ZoneInfo(current_app.config["TIMEZONE"])

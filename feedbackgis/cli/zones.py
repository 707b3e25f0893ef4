"""`feedbackgis zones ...` and `feedbackgis area ...`: spatial data of the municipality.

Thin commands: options in, a service call with the app's session, a summary out. Service
errors become click errors (exit code 1, the message, no traceback).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from feedbackgis.cli.handling_times import zone_handling_days
from feedbackgis.cli.zones_output import (
    ProgressBars,
    print_import_summary,
    print_service_area_summary,
    print_zone_table,
)
from feedbackgis.errors import ServiceError
from feedbackgis.extensions import db
from feedbackgis.services.zones.import_source import ImportRefused
from feedbackgis.services.zones.listing import count_zones, delete_zones, list_zones
from feedbackgis.services.zones.service_area_import import import_service_area
from feedbackgis.services.zones.zone_import import ZoneImportOptions, import_zones

# Existence is checked by the reader, whose message names the file like its other errors.
FILE_ARGUMENT = click.Path(path_type=Path)
DATE = click.DateTime(formats=["%Y-%m-%d"])
SRID_HELP = ("CRS of the coordinates when the file declares none (a Shapefile without .prj, "
             "a GeoJSON in projected coordinates): an EPSG code such as 3067 (ETRS-TM35FIN) "
             "or anything pyproj reads.")
LAYER_HELP = "Layer of a GeoPackage with several layers, or file inside a zip with several."


@click.group("zones")
def zones_group() -> None:
    """Zones that route reports to parties: import, list, delete, handling times."""


zones_group.add_command(zone_handling_days)


@zones_group.command("import")
@click.argument("file", type=FILE_ARGUMENT)
@click.option("--party", metavar="NAME", help="Party of every zone in the file.")
@click.option("--party-field", metavar="FIELD", help="Field holding each zone's party name.")
@click.option("--categories", metavar="CODES",
              help="Comma-separated category codes every zone takes (default: all).")
@click.option("--categories-field", metavar="FIELD",
              help="Field holding each zone's comma-separated category codes; "
                   "empty or '*' means every category.")
@click.option("--priority", type=int, metavar="N",
              help="Priority of every zone (default 0); where zones overlap, the highest wins.")
@click.option("--priority-field", metavar="FIELD",
              help="Field holding each zone's priority (a whole number; empty means 0).")
@click.option("--name-field", metavar="FIELD",
              help="Field holding each zone's name (default: '<file name> #<feature number>').")
@click.option("--valid-from", type=DATE, metavar="YYYY-MM-DD",
              help="First day the zones route reports (local time).")
@click.option("--valid-to", type=DATE, metavar="YYYY-MM-DD",
              help="Last day the zones route reports, inclusive (local time).")
@click.option("--replace", is_flag=True,
              help="Delete the existing zones of every party that gets zones from this file, "
                   "in the same transaction.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the acceptable features and report the refused ones, instead of "
                   "importing nothing.")
@click.option("--srid", metavar="CRS", help=SRID_HELP)
@click.option("--layer", metavar="NAME", help=LAYER_HELP)
@with_appcontext
def import_command(file: Path, valid_from: datetime | None, valid_to: datetime | None,
                   **options: object) -> None:
    """Import the polygons of FILE as zones.

    FILE is GeoJSON (.geojson, .json), GeoPackage (.gpkg), Shapefile (.shp) or a .zip
    holding one, in any CRS: the file's own, else --srid, else EPSG:4326 for GeoJSON
    (RFC 7946). Edges are densified in the source CRS before reprojection to EPSG:4326,
    so boundaries stay where the source draws them. Invalid polygons are repaired and
    reported; points, lines and empty geometries are refused. All or nothing: if any
    feature is refused, or names an unknown party or category, nothing is imported
    (unless --skip-invalid). Feature numbers count from 1 in file order.

    \b
    Examples:
      feedbackgis zones import alueet.gpkg --party "Urakoitsija Oy" --replace
      feedbackgis zones import areas.shp --srid 3067 --party-field URAKOITSIJ \\
          --categories-field LUOKAT --priority 5 --name-field NIMI
    """
    tz = _local_timezone()
    import_options = ZoneImportOptions(
        **options,  # type: ignore[arg-type]  # click's names are the options' names
        valid_from=_start_of_day(valid_from.date(), tz) if valid_from else None,
        valid_to=_start_of_day(valid_to.date() + timedelta(days=1), tz) if valid_to else None,
        densify_segment=current_app.config["ZONE_DENSIFY_SEGMENT"],
    )
    suggest_skipping = not import_options.skip_invalid
    with ProgressBars() as progress, _service_errors(suggest_skipping):
        summary = import_zones(db.session(), file, import_options, progress)
    print_import_summary(summary, skipped=import_options.skip_invalid)


@zones_group.command("list")
@click.option("--party", metavar="NAME", help="Only this party's zones.")
@with_appcontext
def list_command(party: str | None) -> None:
    """List zones: id, party, name, priority, categories, validity, area in km²."""
    with _service_errors():
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
    with _service_errors():
        count = count_zones(db.session(), party)
        if count and not yes:
            click.confirm(f"Delete {count} zone(s) of {party!r}?", abort=True)
        deleted = delete_zones(db.session(), party)
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
    with _service_errors():
        summary = import_service_area(
            db.session(), file, name=name, srid=srid, layer=layer,
            densify_segment=current_app.config["ZONE_DENSIFY_SEGMENT"],
        )
    print_service_area_summary(summary)


@contextmanager
def _service_errors(suggest_skipping: bool = False) -> Iterator[None]:
    try:
        yield
    except ImportRefused as exc:
        hint = ("\nNothing was written. Fix the file, or import the other features with "
                "--skip-invalid.") if exc.others_importable and suggest_skipping else ""
        raise click.ClickException(exc.message + hint) from exc
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc


def _local_timezone() -> ZoneInfo:
    # Validity dates are the municipality's calendar days, not UTC days.
    return ZoneInfo(current_app.config["TIMEZONE"])


def _start_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)

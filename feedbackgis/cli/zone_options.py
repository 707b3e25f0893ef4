"""The options of `zones import` and `zones what-if`: one zone file read the same way."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app

from feedbackgis.errors import ServiceError
from feedbackgis.services.zones.import_source import ImportRefused
from feedbackgis.services.zones.zone_import import ZoneImportOptions
from feedbackgis.services.zones.zone_import_plan import validity_window

# Existence is checked by the reader, whose message names the file like its other errors.
FILE_ARGUMENT = click.Path(path_type=Path)
DATE = click.DateTime(formats=["%Y-%m-%d"])
SRID_HELP = ("CRS of the coordinates when the file declares none (a Shapefile without .prj, "
             "a GeoJSON in projected coordinates): an EPSG code such as 3067 (ETRS-TM35FIN) "
             "or anything pyproj reads.")
LAYER_HELP = "Layer of a GeoPackage with several layers, or file inside a zip with several."

_OPTIONS = (
    click.argument("file", type=FILE_ARGUMENT),
    click.option("--party", metavar="NAME", help="Party of every zone in the file."),
    click.option("--party-field", metavar="FIELD", help="Field holding each zone's party name."),
    click.option("--categories", metavar="CODES",
                 help="Comma-separated category codes every zone takes (default: all)."),
    click.option("--categories-field", metavar="FIELD",
                 help="Field holding each zone's comma-separated category codes; "
                      "empty or '*' means every category."),
    click.option("--priority", type=int, metavar="N",
                 help="Priority of every zone (default 0); where zones overlap, the highest "
                      "wins."),
    click.option("--priority-field", metavar="FIELD",
                 help="Field holding each zone's priority (a whole number; empty means 0)."),
    click.option("--name-field", metavar="FIELD",
                 help="Field holding each zone's name (default: '<file name> #<feature "
                      "number>')."),
    click.option("--valid-from", type=DATE, metavar="YYYY-MM-DD",
                 help="First day the zones route reports (local time)."),
    click.option("--valid-to", type=DATE, metavar="YYYY-MM-DD",
                 help="Last day the zones route reports, inclusive (local time)."),
    click.option("--replace", is_flag=True,
                 help="Delete the existing zones of every party that gets zones from this "
                      "file, in the same transaction."),
    click.option("--srid", metavar="CRS", help=SRID_HELP),
    click.option("--layer", metavar="NAME", help=LAYER_HELP),
)


def zone_file_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """FILE and the options that say how to read it (decorates a command)."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def import_options(valid_from: datetime | None, valid_to: datetime | None,
                   **options: Any) -> ZoneImportOptions:
    """The service's options from the command's (the app's time zone and densification)."""
    start, end = validity_window(valid_from.date() if valid_from else None,
                                 valid_to.date() if valid_to else None,
                                 current_app.config["TIMEZONE"])
    return ZoneImportOptions(
        **options, valid_from=start, valid_to=end,
        densify_segment=current_app.config["ZONE_DENSIFY_SEGMENT"],
    )


@contextmanager
def service_errors(suggest_skipping: bool = False) -> Iterator[None]:
    """A service's error as a click error: exit code 1, the message, no traceback."""
    try:
        yield
    except ImportRefused as exc:
        hint = ("\nNothing was written. Fix the file, or import the other features with "
                "--skip-invalid.") if exc.others_importable and suggest_skipping else ""
        raise click.ClickException(exc.message + hint) from exc
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc

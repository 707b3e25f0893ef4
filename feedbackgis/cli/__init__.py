"""The `feedbackgis` command: Flask's CLI group of the app, with thin commands over services."""
from __future__ import annotations

import click
from flask.cli import FlaskGroup

from feedbackgis import create_app
from feedbackgis.cli.catalog import categories_group, parties_group
from feedbackgis.cli.database import db_group
from feedbackgis.cli.demo import demo_group
from feedbackgis.cli.jobs import jobs_group
from feedbackgis.cli.zones import area_group, zones_group


def _create_app(*_args: object):  # noqa: ANN202 - FlaskGroup's factory signature
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """feedbackgis: resident feedback on a map. Every command takes --help."""


for group in (db_group, demo_group, zones_group, area_group, parties_group, categories_group,
              jobs_group):
    main.add_command(group)

"""The `feedbackgis` command: Flask's CLI group of the app, with thin commands over services."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def register_commands(app: Flask) -> None:
    """Add every command group to app.cli (so `flask` and the test runner see them too)."""
    from feedbackgis.cli.apikeys import apikeys_group
    from feedbackgis.cli.audit import audit_group
    from feedbackgis.cli.catalog import categories_group, parties_group
    from feedbackgis.cli.database import db_group
    from feedbackgis.cli.demo import demo_group
    from feedbackgis.cli.figures import figures_group
    from feedbackgis.cli.hot_spots import hot_spots_group
    from feedbackgis.cli.jobs import jobs_group
    from feedbackgis.cli.reports import reports_group
    from feedbackgis.cli.response_templates import templates_group
    from feedbackgis.cli.tokens import party_webhook, tokens_group
    from feedbackgis.cli.users import users_group
    from feedbackgis.cli.zones import area_group, zones_group

    for group in (db_group, demo_group, zones_group, area_group, parties_group,
                  categories_group, jobs_group, reports_group, users_group,
                  templates_group, audit_group, tokens_group, hot_spots_group,
                  figures_group):
        app.cli.add_command(group)
    app.cli.add_command(apikeys_group)
    parties_group.add_command(party_webhook)  # `parties webhook`, beside the API tokens


def _create_app(*_args: object) -> Flask:
    from config import ConfigError
    from feedbackgis import create_app

    try:
        return create_app()
    except ConfigError as exc:
        # The reason, not a traceback: a worker that refuses to start must say why.
        raise click.ClickException(str(exc)) from None


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """feedbackgis: resident feedback on a map. Every command takes --help."""

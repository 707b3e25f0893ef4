"""`feedbackgis db ...`: schema migrations (Alembic)."""
from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import with_appcontext

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


@click.group("db")
def db_group() -> None:
    """Database schema: apply and inspect migrations."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    upgrade_database(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database is at revision {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ('base' removes every table)."""
    command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_group.command("current")
@with_appcontext
def current() -> None:
    """Show the revision the database is at."""
    command.current(alembic_config(current_app.config["DATABASE_URL"]), verbose=True)

"""feedbackgis: a map-based resident feedback service for municipalities."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from config import load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error handlers, CLI.

    `config` is the settings (e.g. config.testing_config()); by default they are read from
    the environment now, so FEEDBACKGIS_ENV picks them and a production process without
    SECRET_KEY stops here with a ConfigError that says why.
    """
    app = Flask(
        __name__,
        static_folder="../static",
        static_url_path="/static",
        template_folder="web/templates",
    )
    app.config.update(load_config() if config is None else config)
    app.json.sort_keys = False

    from feedbackgis.extensions import babel, db, redis_conn
    from feedbackgis.i18n import TRANSLATIONS_DIR, page_language, page_timezone

    db.init_app(app)
    redis_conn.init_app(app)
    babel.init_app(app, default_translation_directories=str(TRANSLATIONS_DIR),
                   locale_selector=page_language, timezone_selector=page_timezone)

    from feedbackgis.api import api_blueprint, health_blueprint
    from feedbackgis.errors import register_error_handlers
    from feedbackgis.web import web_blueprint

    app.register_blueprint(api_blueprint)
    app.register_blueprint(health_blueprint)
    app.register_blueprint(web_blueprint)
    register_error_handlers(app)

    from feedbackgis.cli import register_commands

    register_commands(app)
    return app

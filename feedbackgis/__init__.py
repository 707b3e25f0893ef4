"""feedbackgis: a map-based resident feedback service for municipalities."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from config import load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error handlers, CLI.

    `config` is the settings (e.g. config.config_for_tests()); by default they are read from
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

    from feedbackgis.extensions import babel, csrf, db, limiter, redis_conn
    from feedbackgis.i18n import TRANSLATIONS_DIR, page_language, page_timezone

    db.init_app(app)
    redis_conn.init_app(app)
    babel.init_app(app, default_translation_directories=str(TRANSLATIONS_DIR),
                   locale_selector=page_language, timezone_selector=page_timezone)
    from feedbackgis.web.upload_limits import install_upload_limits

    install_upload_limits(app)  # before the CSRF check reads a form carrying photos
    csrf.init_app(app)
    _init_rate_limits(app, limiter)

    from feedbackgis.api import api_blueprint, health_blueprint, photo_files_blueprint
    from feedbackgis.errors import register_error_handlers
    from feedbackgis.open311 import open311_blueprint
    from feedbackgis.web import web_blueprint
    from feedbackgis.web.admin import admin_blueprint
    from feedbackgis.web.staff import staff_blueprint
    from feedbackgis.web.work import work_blueprint

    app.register_blueprint(api_blueprint)
    app.register_blueprint(health_blueprint)
    app.register_blueprint(photo_files_blueprint)
    app.register_blueprint(web_blueprint)
    app.register_blueprint(staff_blueprint)
    app.register_blueprint(admin_blueprint)
    app.register_blueprint(work_blueprint)
    app.register_blueprint(open311_blueprint)
    register_error_handlers(app)

    from feedbackgis.cli import register_commands

    register_commands(app)
    return app


def _init_rate_limits(app: Flask, limiter: Any) -> None:
    """Limits counted in Redis; while Redis is down, in memory (never a failed request)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1,
                                                        "socket_timeout": 1})
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # No X-RateLimit-* headers: they cost two Redis reads per limited request (about 1 ms,
    # a fifth of an Open311 requests/{id}); a refused request still gets its Retry-After.
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "feedbackgis-limits")
    if app.config["TRUSTED_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    limiter.init_app(app)
    from feedbackgis.rate_limits import add_retry_after

    app.after_request(add_retry_after)

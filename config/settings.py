"""Application settings.

Each setting has a default fit for local development; the environment variable of the same
name overrides it. `load_config` picks the class by FEEDBACKGIS_ENV (development, test,
production).
"""
from __future__ import annotations

import os
import secrets


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"Environment variable {name} must be an integer, got {raw!r}") from exc


class DefaultConfig:
    # A random key is fine for development; production must set SECRET_KEY (checked below).
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    DATABASE_URL = os.environ.get(
        "DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/feedbackgis"
    )
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:56379/0")
    # Where links in API responses and emails point to.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Request bodies above this many bytes get 413 (photos come with their own limit later).
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 1_000_000)
    # Local metric CRS for distances and areas given in metres (ETRS-TM35FIN for Finland).
    METRIC_SRID = _env_int("METRIC_SRID", 3067)
    # Edges of imported zones are densified to this length (in the source CRS's linear
    # unit) before reprojection, so straight edges stay where the source data puts them.
    ZONE_DENSIFY_SEGMENT = float(os.environ.get("ZONE_DENSIFY_SEGMENT", "100"))
    # Language when a request names none (a Swedish-speaking municipality sets "sv").
    DEFAULT_LANGUAGE = os.environ.get("DEFAULT_LANGUAGE", "fi")
    # Background map tiles. The host of this URL is allowed in the pages' Content-Security-
    # Policy (img-src), so changing it needs no other change. The attribution is trusted
    # operator markup (Leaflet shows it as HTML); OpenStreetMap's tile policy requires it.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get(
        "MAP_TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    )
    # Where the map looks before (or without) the service area: all of Finland.
    MAP_DEFAULT_LON = float(os.environ.get("MAP_DEFAULT_LON", "25.5"))
    MAP_DEFAULT_LAT = float(os.environ.get("MAP_DEFAULT_LAT", "64.5"))
    MAP_DEFAULT_ZOOM = _env_int("MAP_DEFAULT_ZOOM", 5)
    # The municipality's time zone: dates typed by staff (e.g. zone validity) are its days.
    TIMEZONE = os.environ.get("TIMEZONE", "Europe/Helsinki")

    # Outgoing email (SMTP). SMTP_SECURITY: "none", "starttls" or "ssl" (implicit TLS).
    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "none")
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_TIMEOUT = float(os.environ.get("SMTP_TIMEOUT", "20"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "Palautekartta <noreply@feedbackgis.invalid>")

    # Background jobs. A failed job is retried after each of these delays (seconds), then
    # it goes to the failed list (`feedbackgis jobs failed`).
    JOB_RETRY_INTERVALS = os.environ.get("JOB_RETRY_INTERVALS", "30,120,600,1800")
    JOB_TIMEOUT = _env_int("JOB_TIMEOUT", 300)
    # A busy worker sends a heartbeat this often (seconds). A job whose worker vanished
    # (killed, machine lost) is retried once a heartbeat is this grace overdue.
    JOB_MONITORING_INTERVAL = _env_int("JOB_MONITORING_INTERVAL", 10)
    JOB_HEARTBEAT_GRACE = _env_int("JOB_HEARTBEAT_GRACE", 20)
    # The outbox relay looks for new rows this often (seconds) and backs off up to the
    # maximum while Redis is unreachable.
    RELAY_POLL_INTERVAL = float(os.environ.get("RELAY_POLL_INTERVAL", "1"))
    RELAY_MAX_BACKOFF = float(os.environ.get("RELAY_MAX_BACKOFF", "30"))
    # Local hour at which area subscribers get their daily digest.
    DIGEST_HOUR = _env_int("DIGEST_HOUR", 7)

    JSON_SORT_KEYS = False
    TESTING = False


class TestConfig(DefaultConfig):
    TESTING = True
    DATABASE_URL = os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/feedbackgis_test"
    )
    REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:56379/15")
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    JOB_RETRY_INTERVALS = os.environ.get("TEST_JOB_RETRY_INTERVALS", "1,1,1")
    JOB_MONITORING_INTERVAL = 1
    JOB_HEARTBEAT_GRACE = 1
    RELAY_POLL_INTERVAL = 0.1
    RELAY_MAX_BACKOFF = 0.5
    MAIL_FROM = "Palautekartta <noreply@test.invalid>"


class ProductionConfig(DefaultConfig):
    @classmethod
    def check(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")


CONFIGS = {"development": DefaultConfig, "test": TestConfig, "production": ProductionConfig}


def load_config(name: str | None = None) -> type[DefaultConfig]:
    name = name or os.environ.get("FEEDBACKGIS_ENV", "development")
    try:
        config = CONFIGS[name]
    except KeyError as exc:
        raise RuntimeError(f"FEEDBACKGIS_ENV must be one of {sorted(CONFIGS)}, got {name!r}") from exc
    if hasattr(config, "check"):
        config.check()
    return config

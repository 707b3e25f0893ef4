"""Application settings, read from the environment when the app is created (never at import).

Each setting has a default fit for local development; the environment variable of the same
name overrides it. `load_config` builds the settings of an environment (FEEDBACKGIS_ENV:
development, test or production) from a mapping of variables, os.environ by default.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "test", "production")
CHECKOUT = Path(__file__).resolve().parents[1]


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message says which and why it matters."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"Environment variable {name} must be an integer, got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"Environment variable {name} must be a number, got {raw!r}") from None


def _var_directory(env: Mapping[str, str]) -> Path:
    """FEEDBACKGIS_VAR, else var/ in the checkout (as scripts/_common.sh has it)."""
    return Path(env.get("FEEDBACKGIS_VAR") or CHECKOUT / "var")


def _base(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        # Signs sessions and derives the capability links (follow-up, confirm, unsubscribe)
        # that workers email: web server and workers must share it. A random key is fine
        # only for development (checked in load_config).
        "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_hex(32),
        "DATABASE_URL": env.get(
            "DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/feedbackgis"),
        "REDIS_URL": env.get("REDIS_URL", "redis://127.0.0.1:56379/0"),
        # Where links in API responses and emails point to.
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Open311 GeoReport v2: the one jurisdiction_id it accepts (another one is a 404),
        # and the contact its discovery names.
        "OPEN311_JURISDICTION_ID": env.get("OPEN311_JURISDICTION_ID", "feedbackgis.example"),
        "OPEN311_CONTACT": env.get("OPEN311_CONTACT", ""),
        # A client's media_url is fetched by a job: the host must answer within this many
        # seconds. Hosts on private, loopback or link-local addresses are refused (a client
        # must not make us reach inside our own network) unless this is "true".
        "OPEN311_MEDIA_TIMEOUT": _float(env, "OPEN311_MEDIA_TIMEOUT", 10.0),
        "OPEN311_MEDIA_PRIVATE_HOSTS": env.get("OPEN311_MEDIA_PRIVATE_HOSTS",
                                               "false").lower() == "true",
        # Request bodies above this many bytes get 413.
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 1_000_000),
        # Local metric CRS for distances and areas given in metres (ETRS-TM35FIN).
        "METRIC_SRID": _int(env, "METRIC_SRID", 3067),
        # Edges of imported zones are densified to this length (in the source CRS's linear
        # unit) before reprojection, so straight edges stay where the source data puts them.
        "ZONE_DENSIFY_SEGMENT": _float(env, "ZONE_DENSIFY_SEGMENT", 100.0),
        # Zone files uploaded on the admin page: at most this many bytes; the routing
        # what-if of their preview (and of `zones what-if`) routes this many latest reports.
        "ZONE_UPLOAD_MAX_BYTES": _int(env, "ZONE_UPLOAD_MAX_BYTES", 50_000_000),
        "ZONE_WHAT_IF_REPORTS": _int(env, "ZONE_WHAT_IF_REPORTS", 1000),
        # Language when a request names none (a Swedish-speaking municipality sets "sv").
        "DEFAULT_LANGUAGE": env.get("DEFAULT_LANGUAGE", "fi"),
        # Background map tiles. The host of this URL is allowed in the pages' Content-
        # Security-Policy (img-src). The attribution is trusted operator markup (Leaflet
        # shows it as HTML); OpenStreetMap's tile policy requires it.
        "MAP_TILE_URL": env.get("MAP_TILE_URL",
                                "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "MAP_TILE_ATTRIBUTION": env.get(
            "MAP_TILE_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'),
        # Where the map looks before (or without) the service area: all of Finland.
        "MAP_DEFAULT_LON": _float(env, "MAP_DEFAULT_LON", 25.5),
        "MAP_DEFAULT_LAT": _float(env, "MAP_DEFAULT_LAT", 64.5),
        "MAP_DEFAULT_ZOOM": _int(env, "MAP_DEFAULT_ZOOM", 5),
        # Before a report is sent, open reports of its category within this many metres of
        # its pin are offered as possible duplicates, to follow instead.
        "DUPLICATE_RADIUS_M": _float(env, "DUPLICATE_RADIUS_M", 75.0),
        # Recurring hot spots (nightly, the last 12 months, per category): a report belongs
        # to one when at least HOT_SPOT_MIN_REPORTS reports (itself included) lie within
        # HOT_SPOT_DISTANCE_M metres of it or of another report of the hot spot (DBSCAN,
        # measured in METRIC_SRID). 30 m: one streetlight or drain, not the next one along.
        "HOT_SPOT_DISTANCE_M": _float(env, "HOT_SPOT_DISTANCE_M", 30.0),
        "HOT_SPOT_MIN_REPORTS": _int(env, "HOT_SPOT_MIN_REPORTS", 3),
        # The heatmap page draws up to this many reports itself (a request's work); more,
        # and it offers to build the heatmap as a file (a job).
        "HEATMAP_INLINE_LIMIT": _int(env, "HEATMAP_INLINE_LIMIT", 20_000),
        # The municipality's time zone: dates shown and typed are its days and hours.
        "TIMEZONE": env.get("TIMEZONE", "Europe/Helsinki"),
        # Outgoing email (SMTP). SMTP_SECURITY: "none", "starttls" or "ssl" (implicit TLS).
        "SMTP_HOST": env.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": _int(env, "SMTP_PORT", 25),
        "SMTP_SECURITY": env.get("SMTP_SECURITY", "none"),
        "SMTP_USERNAME": env.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_TIMEOUT": _float(env, "SMTP_TIMEOUT", 20.0),
        "MAIL_FROM": env.get("MAIL_FROM", "Palautekartta <noreply@feedbackgis.invalid>"),
        # Background jobs. A failed job is retried after each of these delays (seconds),
        # then it goes to the failed list (`feedbackgis jobs failed`).
        "JOB_RETRY_INTERVALS": env.get("JOB_RETRY_INTERVALS", "30,120,600,1800"),
        "JOB_TIMEOUT": _int(env, "JOB_TIMEOUT", 300),
        # A party's webhook (contractor systems) must answer within this many seconds, or
        # the delivery is retried like any failed job.
        "WEBHOOK_TIMEOUT": _float(env, "WEBHOOK_TIMEOUT", 5.0),
        # A party's own Open311 system: its updates are pulled back this often (minutes).
        "OPEN311_PULL_MINUTES": _int(env, "OPEN311_PULL_MINUTES", 5),
        # A busy worker sends a heartbeat this often (seconds). A job whose worker vanished
        # (killed, machine lost) is retried once a heartbeat is this grace overdue.
        "JOB_MONITORING_INTERVAL": _int(env, "JOB_MONITORING_INTERVAL", 10),
        "JOB_HEARTBEAT_GRACE": _int(env, "JOB_HEARTBEAT_GRACE", 20),
        # The outbox relay looks for new rows this often (seconds) and backs off up to the
        # maximum while Redis is unreachable.
        "RELAY_POLL_INTERVAL": _float(env, "RELAY_POLL_INTERVAL", 1.0),
        "RELAY_MAX_BACKOFF": _float(env, "RELAY_MAX_BACKOFF", 30.0),
        # How often the relay asks Redis about the jobs it enqueued: finished ones make
        # their outbox rows done, lost ones (a flushed or restarted Redis) are enqueued again.
        "OUTBOX_RECONCILE_INTERVAL": _float(env, "OUTBOX_RECONCILE_INTERVAL", 5.0),
        # Local hour from which area subscribers get their daily digest.
        "DIGEST_HOUR": _int(env, "DIGEST_HOUR", 7),
        # Local hour on the 1st of a month from which the previous month's summaries go
        # to the managers and the parties (the hourly job sends them once).
        "SUMMARY_HOUR": _int(env, "SUMMARY_HOUR", 6),
        # Overdue work orders (the hourly check): the party is reminded once a report is past
        # its due date; its manager is told once it is this many working days later still.
        "ESCALATION_MANAGER_AFTER_WORKING_DAYS": _int(
            env, "ESCALATION_MANAGER_AFTER_WORKING_DAYS", 2),
        # The closed loop: a fixed report asks its reporter and followers "is it fixed?" for
        # this many days; left unanswered, it stays fixed.
        "FIX_CHECK_DAYS": _int(env, "FIX_CHECK_DAYS", 14),
        # Photos: an upload over either limit is refused (the pixels are read from the
        # header, before anything is decoded). Re-encoded photos are kept under MEDIA_ROOT.
        "PHOTO_MAX_BYTES": _int(env, "PHOTO_MAX_BYTES", 10_000_000),
        "PHOTO_MAX_PIXELS": _int(env, "PHOTO_MAX_PIXELS", 40_000_000),
        "MEDIA_ROOT": env.get("MEDIA_ROOT") or str(_var_directory(env) / "media"),
        # Files prepared for staff by a job (report exports, heatmaps) are kept in this folder
        # for EXPORT_KEEP_HOURS, then the nightly maintenance deletes them.
        "EXPORT_FOLDER": env.get("EXPORT_FOLDER") or str(_var_directory(env) / "exports"),
        "EXPORT_KEEP_HOURS": _int(env, "EXPORT_KEEP_HOURS", 24),
        # Rate limits per client address (Flask-Limiter syntax; ";" separates limits), kept
        # in Redis and, while Redis is down, in each process's memory: a limit never stops a
        # report because Redis is away. Behind a reverse proxy, TRUSTED_PROXY_COUNT says how
        # many X-Forwarded-For hops to trust for the client's address.
        "RATE_LIMIT_SUBMISSIONS": env.get("RATE_LIMIT_SUBMISSIONS", "10 per minute;200 per day"),
        "RATE_LIMIT_FOLLOW_UPS": env.get("RATE_LIMIT_FOLLOW_UPS", "30 per hour"),
        "RATE_LIMIT_UPLOADS": env.get("RATE_LIMIT_UPLOADS", "30 per 10 minutes"),
        # Per Open311 API key (not per address): its requests that create reports.
        "OPEN311_KEY_RATE_LIMIT": env.get("OPEN311_KEY_RATE_LIMIT", "60/minute"),
        # Per address: the public Open311 reads (GETs), which need no key.
        "OPEN311_READ_RATE_LIMIT": env.get("OPEN311_READ_RATE_LIMIT", "600/minute"),
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "true").lower() != "false",
        "TRUSTED_PROXY_COUNT": _int(env, "TRUSTED_PROXY_COUNT", 0),
        # Forms: CSRF tokens live as long as the session, so a form left open while the
        # resident looks for the right spot still sends. Session cookies are not readable
        # by scripts, and not sent on cross-site posts.
        "WTF_CSRF_TIME_LIMIT": None,
        # The accessibility statement (/accessibility): where residents send accessibility
        # feedback (empty: through the report form), the supervising authority's page, and
        # when the statement was last reviewed (ISO date).
        "ACCESSIBILITY_FEEDBACK_EMAIL": env.get("ACCESSIBILITY_FEEDBACK_EMAIL", ""),
        "ACCESSIBILITY_AUTHORITY_URL": env.get("ACCESSIBILITY_AUTHORITY_URL",
                                               "https://www.saavutettavuusvaatimukset.fi/"),
        "ACCESSIBILITY_STATEMENT_DATE": env.get("ACCESSIBILITY_STATEMENT_DATE", "2026-12-01"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Staff sessions end after this long without a request, and after the longer limit
        # in any case (a shared office computer left signed in).
        "STAFF_SESSION_IDLE_MINUTES": _int(env, "STAFF_SESSION_IDLE_MINUTES", 60),
        "STAFF_SESSION_MAX_HOURS": _int(env, "STAFF_SESSION_MAX_HOURS", 12),
        # Staff sign-in: per-client limits on password attempts and on reset requests, and
        # how long an emailed password reset link works (it also ends once it is used).
        "RATE_LIMIT_STAFF_LOGINS": env.get("RATE_LIMIT_STAFF_LOGINS",
                                           "10 per minute;50 per hour"),
        "RATE_LIMIT_STAFF_PASSWORD_RESETS": env.get("RATE_LIMIT_STAFF_PASSWORD_RESETS",
                                                    "5 per hour"),
        "STAFF_PASSWORD_RESET_HOURS": _int(env, "STAFF_PASSWORD_RESET_HOURS", 1),
        # Optional staff single sign-on through OpenID Connect (Entra ID, Keycloak ...): off
        # unless a client id and the issuer (or its metadata URL) are set. Only existing,
        # active staff users whose verified email matches sign in; nobody is created.
        "OIDC_ISSUER": env.get("OIDC_ISSUER", ""),
        "OIDC_METADATA_URL": env.get("OIDC_METADATA_URL", ""),
        "OIDC_CLIENT_ID": env.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": env.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_BUTTON_LABEL": env.get("OIDC_BUTTON_LABEL", ""),
        # Entra ID sends no email_verified claim: "false" accepts the email claim as it is,
        # safe only with a tenant-specific issuer whose admins manage the addresses.
        "OIDC_REQUIRE_VERIFIED_EMAIL": env.get("OIDC_REQUIRE_VERIFIED_EMAIL",
                                               "true").lower() != "false",
        "TESTING": False,
    }


def _test_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": env.get(
            "TEST_DATABASE_URL",
            "postgresql+psycopg://postgres@127.0.0.1:55432/feedbackgis_test"),
        "REDIS_URL": env.get("TEST_REDIS_URL", "redis://127.0.0.1:56379/15"),
        "SECRET_KEY": "test-secret-key",  # tests only
        "JOB_RETRY_INTERVALS": env.get("TEST_JOB_RETRY_INTERVALS", "1,1,1"),
        "JOB_MONITORING_INTERVAL": 1,
        "JOB_HEARTBEAT_GRACE": 1,
        "RELAY_POLL_INTERVAL": 0.1,
        "RELAY_MAX_BACKOFF": 0.5,
        "OUTBOX_RECONCILE_INTERVAL": 0.2,
        "MAIL_FROM": "Palautekartta <noreply@test.invalid>",
        # Never the development photos; tests that look at files give a folder of their own.
        "MEDIA_ROOT": env.get("TEST_MEDIA_ROOT")
        or str(Path(tempfile.gettempdir()) / "feedbackgis-test-media"),
        "EXPORT_FOLDER": env.get("TEST_EXPORT_FOLDER")
        or str(Path(tempfile.gettempdir()) / "feedbackgis-test-exports"),
        # Tests submit many reports from one address; the rate limit tests turn it on.
        "RATELIMIT_ENABLED": False,
    }


def load_config(name: str | None = None,
                environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings of environment `name` (default FEEDBACKGIS_ENV, else development)."""
    env = os.environ if environ is None else environ
    name = name or env.get("FEEDBACKGIS_ENV") or "development"
    if name not in ENVIRONMENTS:
        raise ConfigError(f"FEEDBACKGIS_ENV must be one of {', '.join(ENVIRONMENTS)}, "
                          f"got {name!r}")
    settings = _base(env)
    if name == "test":
        settings.update(_test_overrides(env))
    elif name != "development" and not env.get("SECRET_KEY"):
        raise ConfigError(
            f"SECRET_KEY must be set when FEEDBACKGIS_ENV is {name!r}. The follow-up, "
            "confirm and unsubscribe links that the workers email are derived from it, so "
            "the web server and every worker must share one secret; a random key per "
            "process would send residents links that do not open. Generate one with "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    if name == "production":
        settings["SESSION_COOKIE_SECURE"] = True  # served over HTTPS only
    settings["FEEDBACKGIS_ENV"] = name
    return settings


def config_for_tests(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The test suite's settings (TEST_DATABASE_URL, TEST_REDIS_URL, a fixed secret key)."""
    return load_config("test", environ)

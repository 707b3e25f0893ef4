"""Security headers for HTML pages: a strict Content-Security-Policy and friends.

Scripts and styles come only from our own origin (no inline code, no CDN), images also from
the configured tile host (and data: URLs), and fetch() only to our own origin.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import Response, current_app


def tile_origin(tile_url: str) -> str:
    """The origin of a Leaflet tile URL template; a {s} subdomain becomes a CSP wildcard."""
    parts = urlsplit(tile_url.replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"MAP_TILE_URL must be an absolute http(s) URL, got {tile_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=8)
def content_security_policy(tile_url: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        # data: because Leaflet blanks tiles it cancels with a 1x1 data: GIF.
        "img-src": f"'self' data: {tile_origin(tile_url)}",
        "connect-src": "'self'",
        # The map page's service worker (/sw.js), which keeps the page for use offline.
        "worker-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_security_headers(response: Response) -> Response:
    """Set the headers on HTML responses, keeping any a view chose for itself."""
    if response.mimetype != "text/html":
        return response
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", content_security_policy(current_app.config["MAP_TILE_URL"])
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    return response

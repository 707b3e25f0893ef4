"""folium's documents, served by the service alone: their scripts, styles and headers.

folium's Map and HeatMap name CDN addresses (Leaflet, jQuery, Bootstrap, awesome-markers
and the heat plugin). install_folium_assets replaces them, once per app at start-up (when
the staff blueprint is registered, so the web server and the workers both have it):

- Leaflet: our vendored copy under static/map/vendor/leaflet (the other maps' one).
- The heat plugin: the file inside the installed folium wheel, served by a route of its
  own with a day's caching and an ETag. A route rather than a copy into static/: nothing
  is written into the checkout at run time (read-only containers, several processes
  racing one copy), and the file served is always the one that the installed folium's
  HeatMap template was written against.
- jQuery, Bootstrap, glyphicons, Font Awesome, awesome-markers: dropped. A Map with a
  TileLayer and a HeatMap uses none of them (they serve markers' icons and popups).

A folium document keeps its code inline (<script>, <style>), which the pages' strict
policy forbids. document_headers gives one document a policy of its own: its inline
blocks allowed by their SHA-256 hashes (nothing else inline), scripts and styles from
our origin, images also from the tile host, and framing by our own pages only.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import folium
from flask import Flask, Response, send_file
from folium.plugins import HeatMap

from feedbackgis.web.security import tile_origin

HEAT_JS = Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js"
HEAT_JS_URL = "/assets/folium/leaflet_heat.min.js"
HEAT_JS_MAX_AGE = 86_400
_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def install_folium_assets(app: Flask) -> None:
    """Point folium's default scripts and styles at the service, and serve the heat
    plugin. Idempotent: a second app of the same process (tests) sets the same."""
    static = app.static_url_path
    folium.Map.default_js = [("leaflet", f"{static}/map/vendor/leaflet/leaflet.js")]
    folium.Map.default_css = [("leaflet_css", f"{static}/map/vendor/leaflet/leaflet.css")]
    HeatMap.default_js = [("leaflet-heat.js", HEAT_JS_URL)]
    if "folium_leaflet_heat" not in app.view_functions:
        app.add_url_rule(HEAT_JS_URL, "folium_leaflet_heat", _leaflet_heat)


def _leaflet_heat() -> Response:
    return send_file(HEAT_JS, mimetype="text/javascript", max_age=HEAT_JS_MAX_AGE,
                     conditional=True, etag=True)


def _hashes(html: str, kind: str) -> list[str]:
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for tag, body in _INLINE.findall(html) if tag == kind
    ]


def document_policy(html: str, tile_url: str) -> str:
    """The Content-Security-Policy of one folium document (`html`, as served)."""
    directives = {
        "default-src": "'none'",
        "script-src": " ".join(["'self'", *_hashes(html, "script")]),
        "style-src": " ".join(["'self'", *_hashes(html, "style")]),
        # data: because Leaflet blanks tiles it cancels with a 1x1 data: GIF.
        "img-src": f"'self' data: {tile_origin(tile_url)}",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def document_headers(html: str, tile_url: str) -> dict[str, str]:
    """The headers a folium document is served with (in a frame of our own pages)."""
    return {"Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": document_policy(html, tile_url),
            "X-Frame-Options": "SAMEORIGIN"}

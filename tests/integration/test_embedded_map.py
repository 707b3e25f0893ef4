"""The staff pages' one map box: web/map_settings.map_settings and the _embedded_map.html
macro the inbox, the admin's zones and the hot spots share (each page's own tests check
its map on the page)."""
from __future__ import annotations

import re

from feedbackgis.web.map_settings import map_settings


def test_the_map_settings_are_the_configured_tiles_and_default_view(app):
    with app.app_context():
        settings = map_settings()
    config = app.config
    assert settings == {"tile_url": config["MAP_TILE_URL"],
                        "tile_attribution": config["MAP_TILE_ATTRIBUTION"],
                        "center_lon": config["MAP_DEFAULT_LON"],
                        "center_lat": config["MAP_DEFAULT_LAT"], "zoom": config["MAP_DEFAULT_ZOOM"]}


def test_the_macro_writes_the_ids_classes_and_escaped_data_the_scripts_read(app):
    settings = {"tile_url": "https://tiles.example/{z}/{x}/{y}.png?a=1&b=2",
                "tile_attribution": '<a href="x">OSM</a>', "center_lon": 24.94,
                "center_lat": 60.17, "zoom": 12}
    with app.test_request_context("/?lang=en"):
        template = app.jinja_env.from_string(
            '{% from "_embedded_map.html" import embedded_map %}'
            '{{ embedded_map("things", "Map of <things>", settings, "Failed", "None", '
            '"No script", data={"geojson-url": "/x?a=1&b=2", "open-text": "Open"}) }}')
        html = template.render(settings=settings)
    status = re.search(r'<p id="things-map-status" class="map-status" role="status" '
                       r'aria-live="polite"></p>', html)
    assert status is not None
    box = re.search(r'<div id="things-map" class="area-map things-map" role="region"'
                    r' aria-label="Map of &lt;things&gt;"([^>]*)>', html)
    assert box is not None
    attributes = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', box.group(1)))
    assert attributes == {
        "data-tile-url": "https://tiles.example/{z}/{x}/{y}.png?a=1&amp;b=2",
        "data-tile-attribution": "&lt;a href=&#34;x&#34;&gt;OSM&lt;/a&gt;",
        "data-center-lon": "24.94", "data-center-lat": "60.17", "data-zoom": "12",
        "data-zoom-in-title": "Zoom in", "data-zoom-out-title": "Zoom out",
        "data-status-id": "things-map-status", "data-geojson-url": "/x?a=1&amp;b=2",
        "data-open-text": "Open", "data-failed-message": "Failed", "data-none-text": "None"}
    assert '<noscript><p class="notice">No script</p></noscript>' in html

"""The settings every embedded staff map starts from (the inbox, the work orders, the admin's
zones, the hot spots): the tile source and the municipality's default view, as the
templates' _embedded_map.html macro writes them into data attributes for
static/map/embedded-map.js. A module of its own so that any page's package can import it
without importing another page's package half-initialised."""
from __future__ import annotations

from typing import Any

from flask import current_app


def map_settings() -> dict[str, Any]:
    config = current_app.config
    return {"tile_url": config["MAP_TILE_URL"], "tile_attribution": config["MAP_TILE_ATTRIBUTION"],
            "center_lon": config["MAP_DEFAULT_LON"], "center_lat": config["MAP_DEFAULT_LAT"],
            "zoom": config["MAP_DEFAULT_ZOOM"]}

"""The map page's service worker, served from the site root so that its scope is the whole
site (a worker under /static/ could only serve /static/): it keeps the app shell for use
with no signal (static/map/sw.js)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, send_from_directory

from feedbackgis.web import web_blueprint


@web_blueprint.get("/sw.js")
def service_worker() -> Any:
    folder = Path(current_app.static_folder or "static") / "map"
    response = send_from_directory(folder, "sw.js", mimetype="text/javascript",
                                   max_age=0, conditional=True)
    # Browsers check for a new worker on each visit: never keep an old one in a cache.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response

"""Types the e2e fixtures hand to tests (kept out of conftest.py so tests can import them)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask
from playwright.sync_api import ConsoleMessage


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask


@dataclass
class PageEvents:
    """What a page reported: console errors, uncaught exceptions, requests we blocked."""

    console_errors: list[ConsoleMessage] = field(default_factory=list)
    uncaught_errors: list[str] = field(default_factory=list)
    blocked_urls: list[str] = field(default_factory=list)


def other_errors(events: PageEvents, live_server: LiveServer) -> list[str]:
    """The console errors that are not the map tiles failing (the browser is offline)."""
    from feedbackgis.web.security import tile_origin

    tiles = tile_origin(live_server.app.config["MAP_TILE_URL"]) + "/"
    return [m.text for m in events.console_errors if not m.location["url"].startswith(tiles)]

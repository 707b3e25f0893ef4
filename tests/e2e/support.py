"""Types the e2e fixtures hand to tests (kept out of conftest.py so tests can import them)."""
from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from playwright.sync_api import ConsoleMessage


class RequestsInFlight:
    """WSGI middleware that knows which requests the served app is still working on.

    A page a test has finished with may still be loading (map data, scripts); emptying the
    tables while such a request holds its locks can deadlock, so the e2e teardown waits here.
    Flask has run the whole request, its teardown included, when the app returns (no response
    here is streamed), so only that call is counted: writing the body needs no database, and
    werkzeug does not always close the body of a request whose browser has gone.
    """

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._working_on: dict[int, str] = {}
        self._changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        key = id(environ)
        with self._changed:
            self._working_on[key] = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}"
        try:
            return self._app(environ, start_response)
        finally:
            with self._changed:
                del self._working_on[key]
                self._changed.notify_all()

    def wait_until_idle(self, timeout: float) -> list[str]:
        """The requests still being worked on after `timeout` seconds: none, normally."""
        with self._changed:
            self._changed.wait_for(lambda: not self._working_on, timeout)
            return sorted(self._working_on.values())


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask
    in_flight: RequestsInFlight


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

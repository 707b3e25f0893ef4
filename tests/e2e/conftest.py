"""Browser tests: the app served for real in a background thread, driven by Debian's Chromium.

The served app runs in another thread with its own database connections, so test data must be
committed: tests seed through `seed_session` and every table is emptied after each test (the
integration tests, which may run later in the same session, expect an empty database).

The browser is offline: any request that is not to the served app is aborted and recorded,
so map tiles fail the same way on every machine and nothing can reach a CDN unnoticed.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from config import config_for_tests
from feedbackgis import create_app
from tests.database import truncate_app_tables
from tests.e2e.support import LiveServer, PageEvents, RequestsInFlight

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
# The staff work at a desk: a common laptop screen.
DESKTOP_VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def live_server(migrated_database_url: str) -> Iterator[LiveServer]:
    # create_app binds the module-level `db`; an integration `app` made in the same session
    # points at the same database, so whichever app was made last serves both correctly.
    app = create_app(config_for_tests())
    # Port 0: the OS picks a free port. Threaded, so that a connection the browser keeps
    # open cannot stall the other requests of a page.
    in_flight = RequestsInFlight(app)
    server = make_server("127.0.0.1", 0, in_flight, threaded=True)
    port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", app=app, in_flight=in_flight)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def seed_engine(migrated_database_url: str) -> Iterator[Engine]:
    engine = create_engine(migrated_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables_after_each_test(request: pytest.FixtureRequest, seed_engine: Engine) -> Iterator[None]:
    yield
    if "live_server" in request.fixturenames:
        # The browser pages are closed by now (their fixtures end first), but the server may
        # still be answering their last requests; TRUNCATE waiting on those can deadlock.
        live_server: LiveServer = request.getfixturevalue("live_server")
        busy = live_server.in_flight.wait_until_idle(timeout=30)
        assert not busy, f"the served app is still working on {busy}"
    truncate_app_tables(seed_engine)


@pytest.fixture
def seed_session(seed_engine: Engine) -> Iterator[Session]:
    """A session for the test's own data; the test commits what the server should see."""
    with Session(seed_engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (scripts/bootstrap.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watch(page: Page, events: PageEvents) -> None:
    page.on("console", lambda message: message.type == "error" and events.console_errors.append(message))
    page.on("pageerror", lambda error: events.uncaught_errors.append(str(error)))


@pytest.fixture
def open_phone_page(
    browser: Browser, live_server: LiveServer
) -> Iterator[Callable[..., tuple[Page, PageEvents]]]:
    """Factory: a new phone-sized page (`desktop=True`: a laptop's) whose browser prefers
    `locale`, watched and offline; `javascript=False` for the pages as a browser without
    scripts sees them."""
    contexts: list[BrowserContext] = []

    def block(route: Route, events: PageEvents) -> None:
        events.blocked_urls.append(route.request.url)
        route.abort("internetdisconnected")

    def open_page(locale: str = "fi-FI", javascript: bool = True,
                  desktop: bool = False) -> tuple[Page, PageEvents]:
        device = ({"viewport": DESKTOP_VIEWPORT} if desktop else
                  {"viewport": PHONE_VIEWPORT, "is_mobile": True, "has_touch": True})
        context = browser.new_context(
            **device, locale=locale, base_url=live_server.url, java_script_enabled=javascript,
        )
        contexts.append(context)
        events = PageEvents()
        context.route(lambda url: not url.startswith(live_server.url + "/"),
                      lambda route: block(route, events))
        page = context.new_page()
        _watch(page, events)
        return page, events

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(open_phone_page: Callable[..., tuple[Page, PageEvents]]) -> tuple[Page, PageEvents]:
    return open_phone_page()

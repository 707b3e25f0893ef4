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

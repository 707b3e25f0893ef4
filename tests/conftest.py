"""Shared fixtures. Unit tests need nothing; integration fixtures live in integration/, browser
fixtures in e2e/. Both of those use the one migrated test database below."""
from __future__ import annotations

import pytest

from config import config_for_tests
from tests.database import reset_and_migrate


@pytest.fixture(scope="session")
def migrated_database_url() -> str:
    """TEST_DATABASE_URL, emptied and migrated once per session (only if a test needs it)."""
    url = config_for_tests()["DATABASE_URL"]
    reset_and_migrate(url)
    return url


@pytest.fixture
def mail_sink():
    """A real SMTP server on loopback that keeps every message it accepts."""
    from tests.mail_sink import MailSink

    sink = MailSink().start()
    yield sink
    sink.stop()

"""The subscription emails in every service language, without a database or a server."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from feedbackgis.geo.convert import point, to_db
from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.links import Links
from feedbackgis.mail.subscription_mail import (
    area_confirmation_email,
    digest_email,
    follower_confirmation_email,
)
from feedbackgis.mail.subscription_texts import SUBSCRIPTION_MAIL_TEXTS
from feedbackgis.models import AreaSubscription, Category, Report, ReportFollower
from feedbackgis.services.subscriptions.email_confirmation import token_columns

LINKS = Links(base_url="https://palaute.example.fi/", secret_key="unit-secret")
LEFTOVER_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{[a-z_]+\}")
SCRIPT = "<script>alert(1)</script>"


def _report() -> Report:
    category = Category(code="light", name_fi="Katuvalo", name_sv="Gatlykta",
                        name_en="Streetlight")
    return Report(id=41, category=category, location=to_db(point(24.9384, 60.1699)),
                  address=f"Katu {SCRIPT} 1", status="in_progress", description="d",
                  created_at=datetime(2026, 5, 4, 9, 30, tzinfo=UTC))


def _every_kind(language: str) -> dict:
    subscription = AreaSubscription(id=7, email="a@example.fi", language=language,
                                    **token_columns(LINKS.secret_key))
    follower = ReportFollower(id=8, report_id=41, email="f@example.fi", language=language,
                              **token_columns(LINKS.secret_key))
    return {
        "area": area_confirmation_email(LINKS, subscription, 3.14159),
        "follower": follower_confirmation_email(LINKS, follower, _report()),
        "digest": digest_email(LINKS, subscription, [_report()], ZoneInfo("Europe/Helsinki")),
    }


@pytest.mark.parametrize("key", sorted(SUBSCRIPTION_MAIL_TEXTS))
def test_every_subscription_text_is_written_in_every_service_language(key):
    assert set(SUBSCRIPTION_MAIL_TEXTS[key]) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_carries_its_unsubscribe_link_in_body_and_headers(language):
    for kind, email in _every_kind(language).items():
        header = email.headers["List-Unsubscribe"]
        url = header.strip("<>")
        assert url.startswith("https://palaute.example.fi/unsubscribe/"), kind
        assert url in email.text and url in email.html, kind
        assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert email.language == language
        assert not LEFTOVER_SYNTAX.search(email.text + email.html + email.subject), kind


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirmations_say_that_ignoring_them_starts_nothing(language):
    ignore = SUBSCRIPTION_MAIL_TEXTS["confirmation_ignore"][language]
    emails = _every_kind(language)
    for kind in ("area", "follower"):
        assert ignore in emails[kind].text, kind
        assert "/confirm/" in emails[kind].text


def test_the_digest_shows_local_time_and_escapes_report_text_in_html():
    digest = _every_kind("fi")["digest"]
    assert "04.05.2026 12:30" in digest.text  # 09:30 UTC in Helsinki summer time
    assert "Katuvalo" in digest.text and "Työn alla" in digest.text
    assert SCRIPT in digest.text and SCRIPT not in digest.html
    assert "https://palaute.example.fi/api/v1/reports/41?lang=fi" in digest.html


def test_the_area_size_is_written_with_the_languages_decimal_mark():
    assert "3,1 km²" in _every_kind("fi")["area"].text
    assert "3.1 km²" in _every_kind("en")["area"].text

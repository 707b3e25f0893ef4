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
    format_number,
)
from feedbackgis.models import AreaSubscription, Category, Report, ReportFollower
from feedbackgis.services.subscriptions.email_confirmation import token_columns

LINKS = Links(base_url="https://palaute.example.fi/", secret_key="unit-secret")
# Template syntax, or a placeholder left unfilled (old {name} style or gettext's %(name)s).
LEFTOVER_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{[a-z_]+\}|%\([a-z_]+\)")
# What each language's confirmation says about ignoring it (nothing starts).
IGNORE = {"fi": "voit jättää viestin huomiotta: mitään ei oteta käyttöön",
          "sv": "kan du bortse från meddelandet: ingenting aktiveras",
          "en": "ignore this message: nothing is started"}
HELSINKI = ZoneInfo("Europe/Helsinki")
SCRIPT = "<script>alert(1)</script>"


def _report(report_id: int = 41) -> Report:
    category = Category(code="light", name_fi="Katuvalo", name_sv="Gatlykta",
                        name_en="Streetlight")
    return Report(id=report_id, category=category, location=to_db(point(24.9384, 60.1699)),
                  address=f"Katu {SCRIPT} 1", status="in_progress", description="d",
                  created_at=datetime(2026, 5, 4, 9, 30, tzinfo=UTC))


def _subscription(language: str) -> AreaSubscription:
    return AreaSubscription(id=7, email="a@example.fi", language=language,
                            **token_columns(LINKS.secret_key))


def _every_kind(language: str) -> dict:
    subscription = _subscription(language)
    follower = ReportFollower(id=8, report_id=41, email="f@example.fi", language=language,
                              **token_columns(LINKS.secret_key))
    return {
        "area": area_confirmation_email(LINKS, subscription, 3.14159),
        "follower": follower_confirmation_email(LINKS, follower, _report()),
        "digest": digest_email(LINKS, subscription, [_report()], HELSINKI),
    }


# That every text is translated in every language is tests/unit/test_translations.py.


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
    emails = _every_kind(language)
    for kind in ("area", "follower"):
        assert IGNORE[language] in emails[kind].text, kind
        assert IGNORE[language] in emails[kind].html, kind
        assert "/confirm/" in emails[kind].text


def test_the_digest_shows_local_time_and_escapes_report_text_in_html():
    digest = _every_kind("fi")["digest"]
    assert "Saapunut: 4.5.2026 12.30" in digest.text  # 09:30 UTC in Helsinki summer time
    assert "Katuvalo" in digest.text and "Työn alla" in digest.text
    assert SCRIPT in digest.text and SCRIPT not in digest.html
    assert "https://palaute.example.fi/reports/41?lang=fi" in digest.html


@pytest.mark.parametrize(("language", "received"), [
    ("fi", "Saapunut: 4.5.2026 12.30"), ("sv", "Inkommen: 4 maj 2026 12:30"),
    ("en", "Received: May 4, 2026, 12:30\u202fPM"),
])
def test_digest_times_are_in_the_given_zone_written_the_languages_way(language, received):
    digest = digest_email(LINKS, _subscription(language), [_report()], HELSINKI)
    assert received in digest.text and received in digest.html
    in_utc = digest_email(LINKS, _subscription(language), [_report()], UTC)
    assert received not in in_utc.text  # the zone is the caller's, not a fixed one


@pytest.mark.parametrize(("language", "one", "two"), [
    ("fi", "Uusi ilmoitus alueellasi: 1", "Uusia ilmoituksia alueellasi: 2"),
    ("sv", "Ny anmälan i ditt område: 1", "Nya anmälningar i ditt område: 2"),
    ("en", "New report in your area: 1", "New reports in your area: 2"),
])
def test_the_digest_subject_counts_the_reports_in_the_languages_plural(language, one, two):
    subscription = _subscription(language)
    assert digest_email(LINKS, subscription, [_report()], HELSINKI).subject == one
    reports = [_report(41), _report(42)]
    assert digest_email(LINKS, subscription, reports, HELSINKI).subject == two


def test_the_area_size_is_written_with_the_languages_decimal_mark():
    assert "3,1 km²" in _every_kind("fi")["area"].text
    assert "3,1 km²" in _every_kind("sv")["area"].text
    assert "3.1 km²" in _every_kind("en")["area"].text


@pytest.mark.parametrize(("language", "written"), [
    ("fi", "1\xa0234,6"), ("sv", "1\xa0234,6"), ("en", "1,234.6")])
def test_numbers_are_grouped_and_rounded_to_one_decimal_by_babel(language, written):
    assert format_number(1234.56, language) == written

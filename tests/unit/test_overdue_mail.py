"""The overdue work order email (party reminder and manager notice) in every language."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.compose import ReportFacts
from feedbackgis.mail.overdue import (
    MANAGER_NOTICE,
    PARTY_REMINDER,
    compose_overdue_reminder,
    overdue_facts,
)

SCRIPT = "<script>alert(1)</script>"
LEFTOVER_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{[a-z_]+\}|%\([a-z_]+\)")
URL = "https://x.example/staff/reports/123"
# 16:00 in Helsinki on 2 March 2026 (UTC+2), as each language writes it.
DUE = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
DUE_TEXT = {"fi": "2.3.2026 16.00", "sv": "2 mars 2026 16:00", "en": "Mar 2, 2026, 4:00\u202fPM"}


def _report(language: str) -> ReportFacts:
    return ReportFacts(language=language, id=123, category="Katuvalo", status="s",
                       place="Katu & <1>", place_in_full="Katu & <1> (60.1, 24.9)",
                       map_url=None, description=f"Valo {SCRIPT} ei pala")


def _email(language: str, level: int = PARTY_REMINDER, late: int = 3,
           party: str | None = "Valo & <Oy>"):
    facts = overdue_facts(level=level, due_at=DUE, working_days_late=late, party=party,
                          time_zone="Europe/Helsinki", language=language)
    return compose_overdue_reminder(_report(language), facts, to="p@example.fi",
                                    work_order_url=URL)


@pytest.mark.parametrize("level", [PARTY_REMINDER, MANAGER_NOTICE])
@pytest.mark.parametrize("language", LANGUAGES)
def test_overdue_email_renders_in_every_language_with_the_facts_and_the_link(language, level):
    email = _email(language, level)
    assert email.language == language and f'<html lang="{language}">' in email.html
    assert "#123" in email.subject and "\n" not in email.subject
    for part in (email.text, email.html):
        assert URL in part
        assert DUE_TEXT[language] in part
        assert not LEFTOVER_SYNTAX.search(part), part
    assert not LEFTOVER_SYNTAX.search(email.subject)


@pytest.mark.parametrize("language", LANGUAGES)
def test_user_and_party_text_is_escaped_in_html_and_as_written_in_text(language):
    email = _email(language, MANAGER_NOTICE)
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    assert "Valo &amp; &lt;Oy&gt;" in email.html and "Valo & <Oy>" in email.text
    assert SCRIPT in email.text and "&lt;" not in email.text


def test_the_lateness_is_said_in_working_days_once_a_whole_day_has_passed():
    email = _email("en", late=3)
    assert "Late by 3 working days" in email.text
    assert "Late by 1 working day\n" in _email("en", late=1).text
    assert "Late by" not in _email("en", late=0).text  # due today, not a whole day late


def test_the_manager_hears_the_party_was_reminded_and_the_party_hears_what_to_do():
    party = _email("en", PARTY_REMINDER).text
    manager = _email("en", MANAGER_NOTICE).text
    assert "update its status" in party and "was reminded" not in party
    assert "was reminded" in manager and "Responsible party: Valo & <Oy>" in manager
    assert "Responsible party" not in _email("en", MANAGER_NOTICE, party=None).text

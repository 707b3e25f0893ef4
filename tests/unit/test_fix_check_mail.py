"""The closed loop's emails rendered in every language, without a database or a server."""
from __future__ import annotations

import re

import pytest

from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.compose import ReportFacts, UpdateFacts
from feedbackgis.mail.fix_check_mail import (
    FixQuestion,
    ReopeningFacts,
    compose_fix_question,
    compose_party_reopened,
    reopened_update,
)
from feedbackgis.mail.message import Attachment

SCRIPT = "<script>alert(1)</script>"
YES, NO = "https://x.example/fixed/reporter/5/T?answer=yes", "https://x.example/fixed/reporter/5/T?answer=no"
FOLLOW_UP, UNSUBSCRIBE = "https://x.example/follow/F", "https://x.example/unsubscribe/follower/U"
LEFTOVER_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{[a-z_]+\}|%\([a-z_]+\)")


def _report(language: str) -> ReportFacts:
    return ReportFacts(language=language, id=123, category="Katuvalo", status="Korjattu",
                       place="Kauppa & <Katu> 1", place_in_full="Kauppa & <Katu> 1",
                       map_url=None, description=f"Valo {SCRIPT} ei pala")


def _question(note: str | None = f"Lamppu {SCRIPT} vaihdettu") -> FixQuestion:
    return FixQuestion(yes_url=YES, no_url=NO, until="15.6.2026 12.00",
                       update=UpdateFacts(status="Korjattu", note=note, closes=True))


def _every_kind(language: str) -> dict:
    report = _report(language)
    return {
        "reporter": compose_fix_question(report, _question(), to="r@example.fi",
                                         follow_up_url=FOLLOW_UP),
        "follower": compose_fix_question(report, _question(), to="f@example.fi",
                                         unsubscribe_url=UNSUBSCRIBE),
        "party": compose_party_reopened(
            report, ReopeningFacts(due="20.6.2026 16.00", text=f"Yhä {SCRIPT} pimeää",
                                   reopen_count=2),
            to="p@example.fi", work_order_url="https://x.example/work/link/123/W"),
    }


@pytest.mark.parametrize("kind", ["reporter", "follower", "party"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_renders_in_every_language_escaped_with_nothing_left_over(language, kind):
    email = _every_kind(language)[kind]
    assert email.language == language and f'<html lang="{language}">' in email.html
    assert "#123" in email.subject and "\n" not in email.subject
    for part in (email.subject, email.text, email.html):
        assert not LEFTOVER_SYNTAX.search(part), part
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    assert SCRIPT in email.text and "&lt;" not in email.text
    assert not re.search(r"<(img|script|link|iframe)\b", email.html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_question_carries_both_one_click_links_in_both_parts(language):
    for kind in ("reporter", "follower"):
        email = _every_kind(language)[kind]
        for url in (YES, NO):
            assert url in email.text and f'href="{url}"' in email.html


def test_the_question_to_the_reporter_asks_carries_the_answer_and_thanks():
    email = _every_kind("en")["reporter"]
    assert email.subject == "Is it fixed? Your report #123"
    assert "Is the problem really fixed?" in email.text
    assert f"Lamppu {SCRIPT} vaihdettu" in email.text  # the change's public note
    assert "Thank you for helping" in email.text
    assert "15.6.2026 12.00" in email.text  # when the question closes
    assert FOLLOW_UP in email.text and UNSUBSCRIBE not in email.text
    assert email.headers == {}


def test_the_question_to_a_follower_has_no_follow_up_link_and_one_click_unsubscribe():
    email = _every_kind("en")["follower"]
    assert email.subject == "Is it fixed? The report #123 you follow"
    assert "/follow/" not in email.text + email.html
    assert UNSUBSCRIBE in email.text and UNSUBSCRIBE in email.html
    assert email.headers["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"


def test_a_change_without_a_public_note_asks_all_the_same():
    email = compose_fix_question(_report("en"), _question(note=None), to="r@example.fi",
                                 follow_up_url=FOLLOW_UP)
    assert "A reply to your report" not in email.text and YES in email.text


def test_the_party_hears_it_was_reopened_with_the_residents_words_and_the_due_date():
    email = _every_kind("en")["party"]
    assert email.subject == "Reopened: Katuvalo – Kauppa & <Katu> 1 (#123)"
    assert "the problem is not fixed" in email.text
    assert f"Yhä {SCRIPT} pimeää" in email.text and "20.6.2026 16.00" in email.text
    assert "Reopened 2 times" in email.text
    assert "https://x.example/work/link/123/W" in email.html


def test_the_party_email_attaches_the_photos_and_says_so():
    photo = Attachment("p.jpg", "image/jpeg", b"\xff\xd8")
    email = compose_party_reopened(
        _report("en"), ReopeningFacts(due=None, text=None, reopen_count=1), to="p@example.fi",
        work_order_url="https://x", attachments=[photo])
    assert email.attachments == (photo,)
    assert "photo is attached" in email.text and "Due date" not in email.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reopening_reads_as_an_update_in_the_readers_language(language):
    update = reopened_update("In progress", language)
    assert update.status == "In progress" and not update.closes and update.note.strip()

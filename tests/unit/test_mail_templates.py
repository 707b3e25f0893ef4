"""Notification emails rendered in every service language, without a database or a server."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from jinja2 import UndefinedError
from markupsafe import escape

import config
from feedbackgis import create_app
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.compose import (
    ReportFacts,
    UpdateFacts,
    compose_follower_update,
    compose_party_assignment,
    compose_reporter_submission,
    compose_reporter_update,
    report_facts,
)
from feedbackgis.mail.links import openstreetmap_url
from feedbackgis.mail.message import Attachment
from feedbackgis.mail.render import render_email
from feedbackgis.mail.translation import mail_texts
from feedbackgis.models import Category, Report

SCRIPT = "<script>alert(1)</script>"
ADDRESS = "Kauppa & <Katu> 1"
# A word each language's subjects have, and the other languages' subjects do not.
SUBJECT_WORD = {"fi": "ilmoitu", "sv": "anmälan", "en": "report"}
# Template syntax, or a placeholder left unfilled (old {name} style or gettext's %(name)s).
LEFTOVER_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{[a-z_]+\}|%\([a-z_]+\)")


def _report(language: str) -> ReportFacts:
    return ReportFacts(
        language=language, id=123, category={"fi": "Katuvalo", "sv": "Gatubelysning",
                                             "en": "Streetlight"}[language],
        status="status", place=ADDRESS, place_in_full=f"{ADDRESS} (60.16990, 24.93840)",
        map_url=openstreetmap_url(24.9384, 60.1699), description=f"Valo {SCRIPT} ei pala",
    )


def _update(closes: bool = False) -> UpdateFacts:
    return UpdateFacts(status="Korjattu", note=f"Vastaus {SCRIPT} & kiitos", closes=closes)


def _compose_every_kind(language: str) -> dict:
    report = _report(language)
    return {
        "party_assigned": compose_party_assignment(
            report, to="p@example.fi", work_order_url="https://x.example/staff/reports/123"),
        "reporter_submitted": compose_reporter_submission(
            report, to="r@example.fi", follow_up_url="https://x.example/follow/T"),
        "reporter_update": compose_reporter_update(
            report, _update(), to="r@example.fi", follow_up_url="https://x.example/follow/T"),
        "reporter_closed": compose_reporter_update(
            report, _update(closes=True), to="r@example.fi",
            follow_up_url="https://x.example/follow/T"),
        "follower_update": compose_follower_update(
            report, _update(), to="f@example.fi", unsubscribe_url="https://x.example/u/T"),
    }


KINDS = sorted(_compose_every_kind("fi"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_renders_in_every_language_with_subject_text_and_html(language, kind):
    email = _compose_every_kind(language)[kind]
    assert email.language == language
    assert f'<html lang="{language}">' in email.html
    assert SUBJECT_WORD[language] in email.subject.lower()
    others = [word for code, word in SUBJECT_WORD.items() if code != language]
    assert not any(word in email.subject.lower() for word in others)
    assert "#123" in email.subject and "\n" not in email.subject
    for part in (email.subject, email.text, email.html):
        assert not LEFTOVER_SYNTAX.search(part), part


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_user_text_is_escaped_in_html_and_left_as_written_in_text(language, kind):
    email = _compose_every_kind(language)[kind]
    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email.html
    assert "Kauppa &amp; &lt;Katu&gt; 1" in email.html
    assert SCRIPT in email.text
    assert ADDRESS in email.text
    assert "&lt;" not in email.text and "&amp;" not in email.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_needs_nothing_from_elsewhere(language):
    for email in _compose_every_kind(language).values():
        assert not re.search(r"<(img|script|link|iframe)\b", email.html)
        assert "src=" not in email.html


def test_closing_message_thanks_the_reporter_and_the_update_does_not():
    emails = _compose_every_kind("en")
    assert "Thank you for helping" in emails["reporter_closed"].text
    assert "Thank you for helping" not in emails["reporter_update"].text


def test_follower_update_carries_one_click_unsubscribe_headers():
    email = _compose_every_kind("sv")["follower_update"]
    assert email.headers == {"List-Unsubscribe": "<https://x.example/u/T>",
                             "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    assert "https://x.example/u/T" in email.text and "https://x.example/u/T" in email.html


def test_a_reply_without_a_status_change_has_its_own_subject():
    email = compose_reporter_update(
        _report("fi"), UpdateFacts(status=None, note="Selvitämme asiaa.", closes=False),
        to="r@example.fi", follow_up_url="https://x.example/follow/T")
    assert email.subject == "Vastaus ilmoitukseesi #123"
    assert "Selvitämme asiaa." in email.text and "tila on nyt" not in email.text


def test_party_email_attaches_photos_and_says_so():
    photo = Attachment("photo.jpg", "image/jpeg", b"\xff\xd8")
    with_photo = compose_party_assignment(_report("fi"), to="p@example.fi",
                                          work_order_url="https://x", attachments=[photo])
    without = compose_party_assignment(_report("fi"), to="p@example.fi",
                                       work_order_url="https://x")
    assert with_photo.attachments == (photo,)
    assert "valokuva" in with_photo.text and "valokuva" not in without.text


def test_a_missing_template_value_is_an_error_not_an_empty_spot():
    with pytest.raises(UndefinedError):
        render_email("reporter_submitted", "fi", report=_report("fi"), status="x")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        render_email("reporter_submitted", "de", report=_report("fi"), status="x",
                     follow_up_url="u")


# That every mail text is translated in every language, with the same placeholders, is
# tests/unit/test_translations.py (the catalogs are shared with the pages).


@pytest.mark.parametrize("status", list(ReportStatus))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_status_has_a_name_in_every_language(language, status):
    assert mail_texts(language).status_name(status).strip()


@pytest.mark.parametrize(("language", "subject"), [
    ("fi", "Uusi ilmoitus: Katuvalo – Kauppa & <Katu> 1 (#123)"),
    ("sv", "Ny anmälan: Gatubelysning – Kauppa & <Katu> 1 (#123)"),
    ("en", "New report: Streetlight – Kauppa & <Katu> 1 (#123)"),
])
def test_subjects_are_the_catalogs_text_with_the_reports_values(language, subject):
    email = _compose_every_kind(language)["party_assigned"]
    assert email.subject == subject
    assert f"<title>{escape(subject)}</title>" in email.html  # escaped as a whole in HTML


@pytest.mark.parametrize(("language", "status"), [
    ("fi", "Työn alla"), ("sv", "Under arbete"), ("en", "In progress")])
def test_status_names_in_emails_are_the_catalogs(language, status):
    category = Category(code="light", name_fi="Katuvalo", name_sv="Gatuljus", name_en="Light")
    report = Report(id=5, category=category, address="Katu 1", description="d",
                    status=ReportStatus.IN_PROGRESS)
    assert report_facts(report, language).status == status


@pytest.mark.parametrize(("language", "unknown"), [
    ("fi", "ei tiedossa"), ("sv", "okänd"), ("en", "unknown")])
def test_a_report_without_address_or_location_has_an_unknown_place(language, unknown):
    category = Category(code="light", name_fi="Katuvalo", name_sv="Gatuljus", name_en="Light")
    report = Report(id=5, category=category, description="d", status=ReportStatus.TRIAGE)
    assert report_facts(report, language).place == unknown


def test_an_email_is_in_the_recipients_language_whatever_the_request_asks_for():
    """Mail is composed by jobs, but also where a request is active (e.g. a test client, or
    a future synchronous path): the request's locale must not leak into it."""
    app = create_app(config.config_for_tests())
    with app.test_request_context("/?lang=sv", headers={"Accept-Language": "sv"}):
        app.preprocess_request()
        email = _compose_every_kind("fi")["reporter_submitted"]
    assert email.subject == "Ilmoituksesi on vastaanotettu: Katuvalo (#123)"
    assert "Kiitos ilmoituksestasi!" in email.text and "Tack" not in email.text


def test_a_long_address_is_shortened_in_the_subject_which_keeps_the_id():
    long_address = "Pitkäkatu 1 " * 40
    category = Category(code="light", name_fi="Katuvalo", name_sv="Gatuljus", name_en="Light")
    report = Report(id=123, category=category, address=long_address.strip(),
                    description="d", status=ReportStatus.ASSIGNED)
    email = compose_party_assignment(report_facts(report, "fi"), to="p@example.fi",
                                     work_order_url="u")
    assert email.subject.endswith("(#123)") and "…" in email.subject
    assert len(email.subject) <= 150
    assert long_address.strip() in email.text  # the body keeps it whole


def test_a_subject_is_one_line_of_limited_length_whatever_it_is_given():
    report = replace(_report("fi"), place="rivi\nrivi " * 100)
    subject, _text, _html = render_email(
        "party_assigned", "fi", report=report, reporter=None, work_order_url="u",
        photo_count=0, answers=())
    assert "\n" not in subject and len(subject) <= 150 and subject.endswith("…")

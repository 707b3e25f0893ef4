"""`feedbackgis parties` and `feedbackgis categories` through Flask's CLI runner."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.models import Category, Party


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_party_is_added_listed_and_deactivated(cli, session):
    result = cli("parties", "add", "Kunnossapito Oy", "--kind", "contractor",
                 "--email", "tyonjohto@example.fi")
    assert result.exit_code == 0, result.output
    assert "Kunnossapito Oy" in cli("parties", "list").output
    assert cli("parties", "update", "Kunnossapito Oy", "--inactive").exit_code == 0
    party = session.scalar(select(Party).where(Party.name == "Kunnossapito Oy"))
    assert (party.kind, party.emails, party.active) == ("contractor", ["tyonjohto@example.fi"], False)


def test_duplicate_party_and_bad_email_are_refused_clearly(cli, session):
    cli("parties", "add", "Puistot")
    again = cli("parties", "add", "Puistot")
    assert again.exit_code == 1 and "exists already" in again.output
    bad = cli("parties", "add", "Kadut", "--email", "not-an-address")
    assert bad.exit_code == 1 and "not-an-address" in bad.output
    assert session.scalar(select(Party).where(Party.name == "Kadut")) is None


def test_category_with_default_party_is_added_and_deactivated(cli, session):
    cli("parties", "add", "Valaistus")
    result = cli("categories", "add", "streetlight", "--fi", "Katuvalo", "--sv", "Gatubelysning",
                 "--en", "Streetlight", "--default-party", "Valaistus", "--publish", "immediate")
    assert result.exit_code == 0, result.output
    assert "Katuvalo" in cli("categories", "list").output
    assert cli("categories", "deactivate", "streetlight").exit_code == 0
    category = session.scalar(select(Category).where(Category.code == "streetlight"))
    assert (category.default_party.name, category.publish_policy, category.active) == (
        "Valaistus", "immediate", False)


def test_category_naming_an_unknown_party_is_refused(cli, session):
    result = cli("categories", "add", "pothole", "--fi", "Kuoppa", "--sv", "Grop", "--en", "Pothole",
                 "--default-party", "Nobody")
    assert result.exit_code == 1 and "No party named 'Nobody'" in result.output
    assert session.scalar(select(Category).where(Category.code == "pothole")) is None


def test_every_command_has_help(cli):
    for group in ("db", "demo", "zones", "area", "parties", "categories", "jobs", "reports"):
        result = cli(group, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_reports_in_triage_are_listed_for_admins(cli, session):
    from feedbackgis.services.reports.submission import NewReport, submit_report

    cli("categories", "add", "bench", "--fi", "Penkki", "--sv", "Bänk", "--en", "Bench")
    submitted = submit_report(session, NewReport(category="bench", description="Rikki",
                                                 address="Torikatu 1"), secret_key="k")
    listing = cli("reports", "list", "--status", "triage")
    assert listing.exit_code == 0
    assert f"{submitted.report.id}" in listing.output and "triage" in listing.output
    assert cli("reports", "list", "--status", "closed").output.strip() == "No reports."


def test_category_groups_and_keywords_are_added_and_cleared_from_the_command_line(cli, session):
    languages = ("fi", "sv", "en")
    groups = dict(zip(languages, ("Valaistus", "Belysning", "Lighting"), strict=True))
    keywords = dict(zip(languages, ("katuvalo,lamppu,,Lamppu", "gatlykta, lampa", "lamp ,dark"),
                        strict=True))
    options = [item for language in languages for item in (
        f"--group-{language}", groups[language], f"--keywords-{language}", keywords[language])]
    result = cli("categories", "add", "streetlight", "--fi", "Katuvalo", "--sv",
                 "Gatubelysning", "--en", "Streetlight", *options)
    assert result.exit_code == 0, result.output
    category = session.scalar(select(Category).where(Category.code == "streetlight"))
    assert (category.group("sv"), category.keywords("fi"), category.keywords("en")) == (
        "Belysning", "katuvalo, lamppu", "lamp, dark")
    cleared = cli("categories", "update", "streetlight",
                  *[item for language in languages for item in (f"--keywords-{language}", "")])
    assert cleared.exit_code == 0, cleared.output
    session.expire_all()
    assert (category.keywords("fi"), category.group("en")) == (None, "Lighting")


def test_a_group_in_one_language_only_is_refused_from_the_command_line(cli, session):
    result = cli("categories", "add", "pothole", "--fi", "Kuoppa", "--sv", "Grop", "--en",
                 "Pothole", "--group-fi", "Kadut ja liikenne")
    assert result.exit_code == 1 and "group" in result.output and "or in none" in result.output
    assert session.scalar(select(Category).where(Category.code == "pothole")) is None

"""The CLI does what the admin pages do, through the same services, and each of its changes
is in the same history, made by "cli"; `feedbackgis audit list` reads it."""
from __future__ import annotations

import pytest
from shapely.geometry import box
from sqlalchemy import select

from feedbackgis.models import Category, OutboxMessage, OutboxTopic, Party, StaffUser
from tests.integration.admin.conftest import all_changes, changes_of
from tests.integration.factories import make_zone

PASSWORD = "yksi kaksi kolme neljä"  # noqa: S105 - the test's own


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()

    def run(*args: str, input: str | None = None):
        result = runner.invoke(args=list(args), input=input)
        return result

    return run


def _ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def test_every_catalog_command_records_its_change_as_made_by_the_cli(cli, session):
    _ok(cli("parties", "add", "Kadut", "--email", "kadut@city.example.fi",
            "--manager-email", "pomo@city.example.fi"))
    _ok(cli("parties", "update", "Kadut", "--kind", "contractor", "--inactive"))
    _ok(cli("parties", "manager-email", "Kadut", "none"))
    _ok(cli("categories", "add", "pothole", "--fi", "Kuoppa", "--sv", "Grop", "--en", "Pothole",
            "--handling-days", "4"))
    _ok(cli("categories", "update", "pothole", "--default-party", "Kadut", "--publish", "never",
            "--share-contact", "--handling-days", "6"))
    _ok(cli("categories", "update", "pothole", "--default-party", "none"))
    _ok(cli("categories", "handling-days", "pothole", "7"))
    _ok(cli("categories", "deactivate", "pothole"))
    _ok(cli("categories", "questions", "add", "pothole", "depth", "--kind", "number",
            "--fi", "Syvyys?", "--sv", "Djup?", "--en", "Depth?"))
    _ok(cli("categories", "questions", "add", "pothole", "lane", "--kind", "yesno",
            "--fi", "Ajokaista?", "--sv", "Körfil?", "--en", "Lane?"))
    _ok(cli("categories", "questions", "move", "pothole", "lane", "1"))
    _ok(cli("categories", "questions", "remove", "pothole", "depth"))
    _ok(cli("templates", "add", "--status", "fixed", "--category", "pothole", "--title", "T",
            "--fi", "Korjattu.", "--sv", "Lagad.", "--en", "Fixed."))

    session.expire_all()
    party = session.scalar(select(Party).where(Party.name == "Kadut"))
    category = session.scalar(select(Category).where(Category.code == "pothole"))
    assert (party.kind, party.active, party.manager_email) == ("contractor", False, None)
    assert (category.default_party_id, category.publish_policy, category.handling_days,
            category.share_contact_with_party, category.active) == (None, "never", 7, True, False)
    changes = all_changes(session)
    assert {c.actor for c in changes} == {"cli"} and {c.staff_user_id for c in changes} == {None}
    assert [c.action for c in changes_of(session, "party", party.id)] == [
        "create", "update", "update"]
    assert [c.action for c in changes_of(session, "category", category.id)] == [
        "create", "update", "update", "update", "update", "add_question", "add_question",
        "move_question", "remove_question"]
    policies = changes_of(session, "category", category.id)[1]
    assert policies.after == {"default_party": "Kadut", "publish_policy": "never",
                              "share_contact_with_party": True, "handling_days": 6}
    assert len(changes_of(session, "response_template")) == 1


def test_the_template_and_zone_commands_are_recorded_too(cli, session):
    party = Party(name="Puistot", kind="unit", emails=[])
    session.add(party)
    session.flush()
    zone = make_zone(session, party, box(24.9, 60.1, 25.0, 60.2))
    session.commit()
    _ok(cli("templates", "add", "--status", "received", "--all", "--title", "Kiitos",
            "--fi", "Kiitos.", "--sv", "Tack.", "--en", "Thanks."))
    [created] = changes_of(session, "response_template")
    template_id = created.entity_id
    _ok(cli("templates", "edit", template_id, "--auto"))
    _ok(cli("templates", "remove", template_id))
    _ok(cli("zones", "handling-days", str(zone.id), "3"))
    assert [c.action for c in changes_of(session, "response_template", template_id)] == [
        "create", "update", "delete"]
    [zone_change] = changes_of(session, "zone", zone.id)
    assert (zone_change.actor, zone_change.before, zone_change.after) == (
        "cli", {"handling_days": None}, {"handling_days": 3})


def test_the_user_commands_create_change_disable_and_send_links(cli, session):
    session.add(Party(name="Kadut", kind="unit", emails=[]))
    session.commit()
    _ok(cli("users", "create", "uusi@city.example.fi", "--role", "handler", "--party", "Kadut",
            "--send-link", "--language", "sv"))
    _ok(cli("users", "update", "uusi@city.example.fi", "--role", "manager", "--name", "Uusi"))
    _ok(cli("users", "password-link", "uusi@city.example.fi"))
    _ok(cli("users", "disable", "uusi@city.example.fi"))
    _ok(cli("users", "update", "uusi@city.example.fi", "--active"))
    user = session.scalar(select(StaffUser).where(StaffUser.email == "uusi@city.example.fi"))
    session.refresh(user)
    assert (user.role, user.party_id, user.name, user.active, user.password_hash) == (
        "manager", None, "Uusi", True, None)
    links = session.scalars(select(OutboxMessage.payload).where(
        OutboxMessage.topic == OutboxTopic.STAFF_PASSWORD_RESET.value)).all()
    assert links == [{"user_id": user.id, "language": "sv"},
                     {"user_id": user.id, "language": None}]
    assert [(c.action, c.actor) for c in changes_of(session, "user", user.id)] == [
        ("create", "cli"), ("update", "cli"), ("password_link", "cli"), ("update", "cli"),
        ("update", "cli")]


def test_user_create_needs_a_password_or_a_link_not_both(cli, session):
    both = cli("users", "create", "a@city.example.fi", "--role", "admin", "--password-stdin",
               "--send-link", input=PASSWORD + "\n")
    neither = cli("users", "create", "a@city.example.fi", "--role", "admin")
    assert both.exit_code == 1 and neither.exit_code == 1
    assert "--send-link" in neither.output
    assert session.scalar(select(StaffUser).where(StaffUser.email == "a@city.example.fi")) is None


def test_a_refused_command_records_nothing(cli, session):
    assert cli("parties", "update", "Nobody", "--inactive").exit_code == 1
    assert cli("categories", "update", "nothing", "--fi", "x").exit_code == 1
    assert cli("users", "update", "nobody@city.example.fi", "--role", "admin").exit_code == 1
    assert all_changes(session) == []


def test_audit_list_shows_the_changes_of_pages_and_commands(cli, session):
    _ok(cli("parties", "add", "Kadut"))
    party = session.scalar(select(Party).where(Party.name == "Kadut"))
    _ok(cli("parties", "update", "Kadut", "--email", "kadut@city.example.fi"))
    output = _ok(cli("audit", "list"))
    assert "cli" in output and "party" in output and '"kadut@city.example.fi"' in output
    one = _ok(cli("audit", "list", "--entity", "party", "--id", str(party.id)))
    assert one.count(" party ") == 2
    assert "No changes recorded." in _ok(cli("audit", "list", "--entity", "user"))
    assert cli("audit", "list", "--id", "1").exit_code == 2

"""`categories handling-days`, `zones handling-days`, `parties manager-email`."""
from __future__ import annotations

import pytest
from shapely.geometry import box

from feedbackgis.models import Category, Party, Zone
from tests.integration.factories import make_category, make_party, make_zone


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_a_categorys_handling_time_is_set_in_working_days(cli, session):
    category = make_category(session, "pothole")
    result = cli("categories", "handling-days", "pothole", "3")
    assert result.exit_code == 0, result.output
    assert "3 working day(s)" in result.output
    session.expire_all()
    assert session.get(Category, category.id).handling_days == 3


@pytest.mark.parametrize("days", ["-1", "366", "three", "2.5"])
def test_a_malformed_handling_time_is_a_usage_error_and_changes_nothing(cli, session, days):
    category = make_category(session, "pothole")
    # After "--": click would take "-1" for an (unknown) option, also exit 2.
    result = cli("categories", "handling-days", "--", "pothole", days)
    assert result.exit_code == 2, result.output
    assert f"'{days}' is not a number of working days (0-365)." in result.output
    session.expire_all()
    assert session.get(Category, category.id).handling_days == 10


def test_an_unknown_category_is_refused_like_other_catalog_commands(cli, session):
    result = cli("categories", "handling-days", "nope", "3")
    assert result.exit_code == 1 and "No category 'nope'" in result.output


def test_a_zone_gets_its_own_handling_time_and_gives_it_back(cli, session):
    zone = make_zone(session, make_party(session), box(24, 60, 25, 61), name="Keskusta")
    result = cli("zones", "handling-days", str(zone.id), "2")
    assert result.exit_code == 0 and "Keskusta" in result.output, result.output
    session.expire_all()
    assert session.get(Zone, zone.id).handling_days == 2
    result = cli("zones", "handling-days", str(zone.id), "none")
    assert result.exit_code == 0 and "the category's handling time" in result.output
    session.expire_all()
    assert session.get(Zone, zone.id).handling_days is None


def test_a_bad_zone_or_days_is_refused_clearly(cli, session):
    zone = make_zone(session, make_party(session), box(24, 60, 25, 61))
    bad_days = cli("zones", "handling-days", str(zone.id), "soon")
    assert bad_days.exit_code == 2, bad_days.output
    assert "'soon' is not a number of working days (0-365) or 'none'." in bad_days.output
    bad_id = cli("zones", "handling-days", "x", "2")
    assert bad_id.exit_code == 2 and "ZONE_ID" in bad_id.output
    missing = cli("zones", "handling-days", str(zone.id + 1000), "2")
    assert missing.exit_code == 1 and f"No zone with id {zone.id + 1000}" in missing.output


def test_a_partys_manager_email_is_set_and_cleared(cli, session):
    party = make_party(session, "Valaistus Oy")
    result = cli("parties", "manager-email", "Valaistus Oy", "esihenkilo@example.fi")
    assert result.exit_code == 0 and "esihenkilo@example.fi" in result.output, result.output
    session.expire_all()
    assert session.get(Party, party.id).manager_email == "esihenkilo@example.fi"
    result = cli("parties", "manager-email", "Valaistus Oy", "none")
    assert result.exit_code == 0 and "the service's managers" in result.output
    session.expire_all()
    assert session.get(Party, party.id).manager_email is None


def test_a_bad_manager_email_or_party_is_refused_clearly(cli, session):
    party = make_party(session, "Valaistus Oy")
    bad = cli("parties", "manager-email", "Valaistus Oy", "not-an-address")
    assert bad.exit_code == 2 and "not an email address" in bad.output, bad.output
    session.expire_all()
    assert session.get(Party, party.id).manager_email is None
    unknown = cli("parties", "manager-email", "Nobody", "a@example.fi")
    assert unknown.exit_code == 1 and "No party named 'Nobody'" in unknown.output

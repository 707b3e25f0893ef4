"""Staff accounts: `feedbackgis users ...` and the service's password checks and lockout."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from feedbackgis.domain.permissions import Role
from feedbackgis.errors import InvalidInput
from feedbackgis.models import Party, PartyKind, StaffUser
from feedbackgis.services.staff import users as staff_users
from feedbackgis.services.staff.users import LoginOutcome, verify_password

PASSWORD = "correct horse battery"
T0 = datetime(2026, 12, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args, input=None: runner.invoke(args=list(args), input=input)


@pytest.fixture
def parties(session):
    session.add_all([Party(kind=PartyKind.UNIT, name="Kadut", emails=[]),
                     Party(kind=PartyKind.CONTRACTOR, name="Valaistus Oy", emails=[])])
    session.commit()


def _user(session, email):
    return session.scalar(select(StaffUser).where(StaffUser.email == email))


def _create(session, email="kaisa@example.fi", role=Role.ADMIN, **kwargs):
    return staff_users.create_user(session, email, role, PASSWORD, **kwargs)


def test_handler_is_created_listed_and_disabled_through_the_cli(cli, session, parties):
    created = cli("users", "create", "Kaisa.Virtanen@Example.FI", "--role", "handler",
                  "--party", "Kadut", "--name", "Kaisa Virtanen", "--password-stdin",
                  input=PASSWORD + "\n")
    assert created.exit_code == 0, created.output
    assert PASSWORD not in created.output
    user = _user(session, "kaisa.virtanen@example.fi")
    assert (user.role, user.party.name, user.name, user.active) == (
        "handler", "Kadut", "Kaisa Virtanen", True)
    listing = cli("users", "list").output
    assert "kaisa.virtanen@example.fi" in listing and "Kadut" in listing
    assert "(disabled)" not in listing
    disabled = cli("users", "disable", "KAISA.VIRTANEN@example.fi")
    assert disabled.exit_code == 0, disabled.output
    session.refresh(user)
    assert user.active is False and "(disabled)" in cli("users", "list").output


def test_contractor_and_admin_are_created_with_the_party_rule_of_their_role(cli, session, parties):
    assert cli("users", "create", "urakka@example.fi", "--role", "contractor", "--party",
               "Valaistus Oy", "--password-stdin", input=PASSWORD).exit_code == 0
    assert cli("users", "create", "admin@example.fi", "--role", "admin", "--password-stdin",
               input=PASSWORD).exit_code == 0
    assert _user(session, "urakka@example.fi").party.name == "Valaistus Oy"
    assert _user(session, "admin@example.fi").party_id is None


@pytest.mark.parametrize(("args", "message"), [
    (("--role", "handler", "--party", "Nobody"), "No party named 'Nobody'"),
    (("--role", "handler"), "belongs to one party: give it with --party"),
    (("--role", "contractor"), "belongs to one party"),
    (("--role", "admin", "--party", "Kadut"), "belongs to no party"),
    (("--role", "handler", "--party", "Valaistus Oy"), "belongs to a unit"),
    (("--role", "contractor", "--party", "Kadut"), "belongs to a contractor"),
    (("--role", "superuser"), "Unknown role 'superuser'"),
])
def test_user_with_a_wrong_role_or_party_is_refused_clearly(cli, session, parties, args,
                                                           message):
    result = cli("users", "create", "uusi@example.fi", *args, "--password-stdin",
                 input=PASSWORD)
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert _user(session, "uusi@example.fi") is None


def test_short_password_is_refused_without_echoing_it(cli, session):
    result = cli("users", "create", "lyhyt@example.fi", "--role", "admin", "--password-stdin",
                 input="elevenchars\n")
    assert result.exit_code == 1 and "at least 12 characters" in result.output
    assert "elevenchars" not in result.output
    assert _user(session, "lyhyt@example.fi") is None


def test_password_is_only_taken_from_stdin(cli, session):
    result = cli("users", "create", "stdin@example.fi", "--role", "admin")
    assert result.exit_code == 1 and "--password-stdin" in result.output
    assert _user(session, "stdin@example.fi") is None


def test_duplicate_email_in_another_case_is_refused(cli, session):
    assert cli("users", "create", "sama@example.fi", "--role", "moderator", "--password-stdin",
               input=PASSWORD).exit_code == 0
    again = cli("users", "create", "SAMA@Example.fi", "--role", "admin", "--password-stdin",
                input=PASSWORD)
    assert again.exit_code == 1 and "exists already" in again.output
    assert len(session.scalars(select(StaffUser)).all()) == 1


def test_invalid_email_is_refused(cli, session):
    result = cli("users", "create", "not-an-address", "--role", "admin", "--password-stdin",
                 input=PASSWORD)
    assert result.exit_code == 1 and "Not a valid email address" in result.output


def test_disabling_an_unknown_user_is_refused_clearly(cli):
    result = cli("users", "disable", "ghost@example.fi")
    assert result.exit_code == 1 and "No user with the email ghost@example.fi" in result.output


def test_users_commands_have_help(cli):
    for command in ((), ("create",), ("list",), ("disable",)):
        result = cli("users", *command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_password_is_stored_as_an_argon2_hash_and_not_as_itself(session):
    user = _create(session)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


def test_service_refuses_a_short_password_with_a_clear_error(session):
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        staff_users.create_user(session, "x@example.fi", Role.ADMIN, "short")


def test_right_password_signs_in_and_wrong_one_does_not(session):
    user = _create(session)
    wrong = verify_password(session, "kaisa@example.fi", "wrong password!!", now=T0)
    assert (wrong.outcome, wrong.user) == (LoginOutcome.WRONG_CREDENTIALS, None)
    right = verify_password(session, "Kaisa@Example.fi", PASSWORD, now=T0)
    assert right.signed_in and right.user.id == user.id
    assert (user.last_login_at, user.failed_logins) == (T0, 0)


def test_unknown_email_is_refused_like_a_wrong_password(session):
    attempt = verify_password(session, "nobody@example.fi", PASSWORD, now=T0)
    assert attempt.outcome is LoginOutcome.WRONG_CREDENTIALS


def test_five_failures_in_a_row_lock_the_account_for_fifteen_minutes(session):
    user = _create(session)
    for minute in range(5):
        attempt = verify_password(session, user.email, "wrong password!!",
                                  now=T0 + timedelta(minutes=minute))
        assert attempt.outcome is LoginOutcome.WRONG_CREDENTIALS
    assert user.locked_until == T0 + timedelta(minutes=4 + 15)
    locked = verify_password(session, user.email, PASSWORD, now=T0 + timedelta(minutes=18))
    assert locked.outcome is LoginOutcome.LOCKED and not locked.signed_in
    unlocked = verify_password(session, user.email, PASSWORD, now=T0 + timedelta(minutes=19))
    assert unlocked.signed_in
    assert (user.locked_until, user.failed_logins) == (None, 0)


def test_success_resets_the_count_of_failures_in_a_row(session):
    user = _create(session)
    for _ in range(4):
        verify_password(session, user.email, "wrong password!!", now=T0)
    assert verify_password(session, user.email, PASSWORD, now=T0).signed_in
    for _ in range(4):
        verify_password(session, user.email, "wrong password!!", now=T0)
    assert user.locked_until is None and user.failed_logins == 4


def test_disabled_user_cannot_sign_in(session):
    user = _create(session)
    staff_users.disable_user(session, user.email)
    attempt = verify_password(session, user.email, PASSWORD, now=T0)
    assert attempt.outcome is LoginOutcome.DISABLED and attempt.user is None
    assert user.last_login_at is None


def test_hash_with_old_parameters_is_replaced_at_sign_in(session):
    user = _create(session)
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    session.commit()
    old = user.password_hash
    assert verify_password(session, user.email, PASSWORD, now=T0).signed_in
    assert user.password_hash != old
    assert not PasswordHasher().check_needs_rehash(user.password_hash)


def test_database_refuses_a_handler_without_a_party(session):
    from sqlalchemy.exc import IntegrityError

    session.add(StaffUser(email="raw@example.fi", role=Role.HANDLER, active=True))
    with pytest.raises(IntegrityError, match="ck_staff_user_party_of_role"):
        session.flush()
    session.rollback()

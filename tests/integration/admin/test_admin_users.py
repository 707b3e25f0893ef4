"""Users and roles on the admin pages: a new account emailed a link to choose its password
(or given a one-time password), role and party changed, disabled; every refusal on its
field with nothing stored; every change in the account's history, never a password."""
from __future__ import annotations

from sqlalchemy import func, select

from feedbackgis.models import OutboxMessage, OutboxTopic, StaffUser
from feedbackgis.services.staff.users import LoginOutcome, verify_password
from tests.integration.admin.conftest import all_changes, changes_of

NEW = {"email": "Uusi.Kasittelija@City.example.fi", "name": "Uusi Käsittelijä",
       "role": "handler", "party": "Katuyksikkö A", "password_choice": "link",
       "language": "sv"}
PASSWORD = "yksi kaksi kolme neljä"  # noqa: S105 - the test's own


def _user(session, email) -> StaffUser | None:
    session.expire_all()
    return session.scalar(select(StaffUser).where(StaffUser.email == email))


def _reset_rows(session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.topic == OutboxTopic.STAFF_PASSWORD_RESET.value)))


def test_a_new_user_is_emailed_a_link_to_choose_a_password(post, session, world, admin_client):
    response = post("/admin/users/new", NEW)
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    user = _user(session, "uusi.kasittelija@city.example.fi")
    assert (user.role, user.party.name, user.password_hash, user.active) == (
        "handler", "Katuyksikkö A", None, True)
    [row] = _reset_rows(session)
    assert row.payload == {"user_id": user.id, "language": "sv"}
    [change] = changes_of(session, "user", user.id)
    assert change.after == {"email": user.email, "name": "Uusi Käsittelijä",
                            "role": "handler", "party": "Katuyksikkö A", "active": True}
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Created" in page and "admin@city.example.fi" in page


def test_a_new_user_may_get_a_one_time_password_which_is_never_recorded(post, session, world):
    response = post("/admin/users/new", {**NEW, "role": "moderator", "party": "Katuyksikkö A",
                                         "password_choice": "password", "password": PASSWORD,
                                         "password_again": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    user = _user(session, "uusi.kasittelija@city.example.fi")
    assert user.party is None  # a moderator belongs to no party; the choice is ignored
    assert verify_password(session, user.email, PASSWORD).outcome is LoginOutcome.SIGNED_IN
    assert _reset_rows(session) == []
    assert PASSWORD not in str([(c.before, c.after) for c in all_changes(session)])


def test_each_bad_new_user_is_refused_beside_its_field_and_nothing_is_stored(
        post, session, world):
    count = session.scalar(select(func.count()).select_from(StaffUser))
    cases = [
        ({"email": "not-an-address"}, "email", 422),
        ({"email": "manager@city.example.fi"}, "email", 409),
        ({"role": "boss"}, "role", 422),
        ({"party": ""}, "party", 422),
        ({"party": "Urakoitsija Oy"}, "party", 422),  # a handler of a contractor
        ({"password_choice": "password", "password": "short", "password_again": "short"},
         "password", 422),
        ({"password_choice": "password", "password": PASSWORD, "password_again": "other"},
         "password", 422),
        ({"name": "x" * 201}, "name", 422),
    ]
    for change, field, status in cases:
        response = post("/admin/users/new", {**NEW, **change})
        page = response.get_data(as_text=True)
        assert response.status_code == status, change
        assert f'id="field-{field}-error"' in page, change
        assert PASSWORD not in page  # a password is never sent back
    assert session.scalar(select(func.count()).select_from(StaffUser)) == count
    assert _reset_rows(session) == [] and all_changes(session) == []


def test_an_admin_changes_a_users_role_and_party_and_disables_them(post, session, world):
    handler = world.users["handler_a"]
    response = post(f"/admin/users/{handler.id}", {
        "name": "Handler A", "role": "handler", "party": "Puistoyksikkö B", "active": "1"})
    assert response.status_code == 303
    assert _user(session, handler.email).party.name == "Puistoyksikkö B"
    response = post(f"/admin/users/{handler.id}", {"name": "Handler A", "role": "manager",
                                                   "party": "Puistoyksikkö B"})
    assert response.status_code == 303
    changed = _user(session, handler.email)
    assert (changed.role, changed.party, changed.active) == ("manager", None, False)
    first, second = changes_of(session, "user", handler.id)
    assert (first.before, first.after) == ({"party": "Katuyksikkö A"},
                                           {"party": "Puistoyksikkö B"})
    assert (second.before, second.after) == (
        {"role": "handler", "party": "Puistoyksikkö B", "active": True},
        {"role": "manager", "party": None, "active": False})


def test_a_role_change_to_a_party_of_the_wrong_kind_is_refused(post, session, world):
    handler = world.users["handler_a"]
    response = post(f"/admin/users/{handler.id}", {"role": "contractor",
                                                   "party": "Katuyksikkö A", "active": "1"})
    assert response.status_code == 422
    assert 'id="field-party-error"' in response.get_data(as_text=True)
    assert _user(session, handler.email).role == "handler" and all_changes(session) == []


def test_an_admin_cannot_take_away_their_own_admin_role_or_disable_themselves(
        post, session, world):
    admin = world.users["admin"]
    demoted = post(f"/admin/users/{admin.id}", {"role": "manager", "active": "1"})
    assert demoted.status_code == 422
    assert 'id="field-role-error"' in demoted.get_data(as_text=True)
    disabled = post(f"/admin/users/{admin.id}", {"role": "admin"})
    assert disabled.status_code == 422
    assert 'id="field-active-error"' in disabled.get_data(as_text=True)
    me = _user(session, admin.email)
    assert (me.role, me.active) == ("admin", True) and all_changes(session) == []


def test_a_password_link_is_sent_on_request_and_recorded(post, session, world):
    moderator = world.users["moderator"]
    response = post(f"/admin/users/{moderator.id}/password-link", {"language": "en"})
    assert response.status_code == 303
    [row] = _reset_rows(session)
    assert row.payload == {"user_id": moderator.id, "language": "en"}
    [change] = changes_of(session, "user", moderator.id)
    assert change.action == "password_link"


def test_no_password_link_for_a_disabled_account(post, session, world):
    moderator = world.users["moderator"]
    post(f"/admin/users/{moderator.id}", {"role": "moderator"})  # disabled
    response = post(f"/admin/users/{moderator.id}/password-link", {"language": "en"})
    assert response.status_code == 422
    assert _reset_rows(session) == []


def test_the_user_list_shows_roles_and_parties(admin_client, world):
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "handler_a@city.example.fi" in page and "Katuyksikkö A" in page
    assert "Handler (of a unit)" in page


def test_the_new_users_link_lets_them_choose_a_password_and_sign_in(
        post, session, world, app, client):
    from feedbackgis.services.staff.password_reset import reset_token
    from tests.integration.staff.staff_world import csrf

    assert post("/admin/users/new", NEW).status_code == 303
    user = _user(session, "uusi.kasittelija@city.example.fi")
    # The token the emailed link carries (the job makes it as it sends the email).
    path = f"/staff/password-reset/{reset_token(app.config['SECRET_KEY'], user.id, None)}"
    response = client.post(path, data={"csrf_token": csrf(client, path), "password": PASSWORD,
                                       "password_again": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    session.expire_all()
    assert verify_password(session, user.email, PASSWORD).outcome is LoginOutcome.SIGNED_IN

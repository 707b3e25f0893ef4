"""Signing in and out of the staff pages: CSRF, lockout, where `next` may lead, the rate
limit, and how a session ends (idle, too old, account disabled, password changed)."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from feedbackgis.models import StaffUser
from feedbackgis.services.staff.users import disable_user, set_password
from feedbackgis.web.staff.session import SESSION_KEY

from .signing_in import (
    EMAIL,
    PASSWORD,
    csrf_token,
    english_client,
    is_signed_in,
    make_staff_user,
    post_login,
    rate_limited_app,
    sign_in,
)


@pytest.fixture
def user(session):
    return make_staff_user(session)


def _fresh(session, user) -> StaffUser:
    """The user as the database has it now (each request closes the shared session)."""
    session.expire_all()
    return session.get(StaffUser, user.id)


def _path(response) -> str:
    return urlsplit(response.headers["Location"]).path


def test_right_password_signs_in_and_opens_the_inbox(client, user):
    assert not is_signed_in(client)
    response = post_login(client)
    assert response.status_code == 303 and _path(response) == "/staff/"
    assert is_signed_in(client)
    assert "Kaisa Virtanen" in client.get("/staff/").get_data(as_text=True)


def test_wrong_password_is_refused_and_the_form_keeps_the_email(client, user):
    response = post_login(client, password="not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "The email address or the password is wrong." in page
    assert f'value="{EMAIL}"' in page and 'aria-invalid="true"' in page
    assert not is_signed_in(client)


def test_unknown_email_reads_exactly_like_a_wrong_password(client, user):
    wrong_password = post_login(client, password="not the password")
    unknown = post_login(client, email="nobody@example.fi")
    assert unknown.status_code == wrong_password.status_code == 401
    error = 'id="login-error"><p>The email address or the password is wrong.</p>'
    assert error in unknown.get_data(as_text=True)
    assert error in wrong_password.get_data(as_text=True)


def test_an_email_with_a_nul_character_is_refused_like_any_wrong_one(client, user):
    response = post_login(client, email=EMAIL + "\x00")
    assert response.status_code == 401
    assert "The email address or the password is wrong." in response.get_data(as_text=True)


def test_login_without_a_csrf_token_is_refused_with_400_and_changes_nothing(
        client, session, user):
    response = client.post("/staff/login", data={"email": EMAIL, "password": "wrong one!!"})
    assert response.status_code == 400
    assert _fresh(session, user).failed_logins == 0
    right = client.post("/staff/login", data={"email": EMAIL, "password": PASSWORD})
    assert right.status_code == 400
    assert not is_signed_in(client)
    assert _fresh(session, user).last_login_at is None


def test_five_wrong_passwords_lock_the_account_and_the_page_says_so(client, session, user):
    for _ in range(5):
        assert post_login(client, password="not the password").status_code == 401
    locked = post_login(client)  # even the right password, for now
    page = locked.get_data(as_text=True)
    assert locked.status_code == 401
    assert "the account is locked for 15 minutes" in page and "reset your password" in page
    assert not is_signed_in(client)


def test_disabled_account_is_told_so_only_with_the_right_password(client, session, user):
    disable_user(session, EMAIL)
    assert "has been disabled" not in post_login(
        client, password="not the password").get_data(as_text=True)
    refused = post_login(client)
    assert refused.status_code == 401 and "has been disabled" in refused.get_data(as_text=True)
    assert not is_signed_in(client)


def test_a_staff_page_asked_for_sends_to_login_and_back_there_after(client, user):
    asked = client.get("/staff/?page=2")
    assert asked.status_code == 302
    login_url = asked.headers["Location"]
    assert urlsplit(login_url).path == "/staff/login" and "next=" in login_url
    form = client.get(login_url).get_data(as_text=True)
    assert 'name="next" value="/staff/?page=2"' in form
    response = post_login(client, next_page="/staff/?page=2")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/?page=2"


@pytest.mark.parametrize("wanted", [
    "https://evil.example/staff/",
    "//evil.example/staff/",
    "/\\evil.example/staff",
    "/staff\\..\\..\\@evil.example",
    "javascript:alert(1)//staff",
    "http:/staff/",
    "/staffing-agency.example",
    "/report",
    "/staff/\r\nSet-Cookie: x=1",
    " //evil.example",
])
def test_next_never_leads_off_the_staff_pages_of_this_site(client, user, wanted):
    response = post_login(client, next_page=wanted)
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/"
    # Nor does the form carry it on.
    page = client.get("/staff/login", query_string={"next": wanted}).get_data(as_text=True)
    assert "evil.example" not in page


def test_signed_in_user_opening_the_login_page_goes_on_to_the_staff_pages(client, user):
    sign_in(client)
    response = client.get("/staff/login?next=//evil.example/")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"


def test_signing_in_starts_a_fresh_session(client, user):
    with client.session_transaction() as held:
        held["planted"] = "by someone before"
    sign_in(client)
    with client.session_transaction() as held:
        assert "planted" not in held
        assert held[SESSION_KEY]["id"] == user.id


def test_sign_out_ends_the_session(client, user):
    sign_in(client)
    token = csrf_token(client, "/staff/")
    response = client.post("/staff/logout", data={"csrf_token": token})
    assert response.status_code == 303 and _path(response) == "/staff/login"
    assert "You have signed out." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert not is_signed_in(client)


def test_sign_out_without_a_csrf_token_is_refused_and_the_session_stays(client, user):
    sign_in(client)
    assert client.post("/staff/logout").status_code == 400
    assert client.get("/staff/logout").status_code == 405
    assert is_signed_in(client)


def _age_session(client, *, seen_ago: int = 0, since_ago: int = 0) -> None:
    now = int(time.time())
    with client.session_transaction() as held:
        staff = held[SESSION_KEY]
        staff["seen"] = now - seen_ago
        staff["since"] = now - since_ago
        held[SESSION_KEY] = staff


def test_a_session_idle_longer_than_the_limit_ends(client, app, user):
    sign_in(client)
    idle = app.config["STAFF_SESSION_IDLE_MINUTES"] * 60
    _age_session(client, seen_ago=idle - 60, since_ago=idle)
    assert is_signed_in(client)  # a minute inside the limit, and the request renews it
    with client.session_transaction() as held:
        assert int(time.time()) - held[SESSION_KEY]["seen"] < 5
    _age_session(client, seen_ago=idle + 60, since_ago=idle + 60)
    assert not is_signed_in(client)
    with client.session_transaction() as held:
        assert SESSION_KEY not in held


def test_a_session_older_than_the_absolute_limit_ends_however_busy(client, app, user):
    sign_in(client)
    limit = app.config["STAFF_SESSION_MAX_HOURS"] * 3600
    _age_session(client, seen_ago=0, since_ago=limit - 60)
    assert is_signed_in(client)
    _age_session(client, seen_ago=0, since_ago=limit + 60)
    assert not is_signed_in(client)


def test_disabling_the_account_ends_its_session_at_once(client, session, user):
    sign_in(client)
    assert is_signed_in(client)
    disable_user(session, EMAIL)
    assert not is_signed_in(client)


def test_a_changed_password_ends_the_sessions_opened_with_the_old_one(client, app, session,
                                                                      user):
    other_browser = english_client(app)
    sign_in(client)
    sign_in(other_browser)
    set_password(session, _fresh(session, user), "a brand new passphrase")
    assert not is_signed_in(client) and not is_signed_in(other_browser)
    sign_in(client, password="a brand new passphrase")
    assert is_signed_in(client)


@pytest.fixture
def limited(committed, tmp_path):
    """3 password tries a minute per client."""
    make_staff_user(committed)
    with rate_limited_app(tmp_path, RATE_LIMIT_STAFF_LOGINS="3 per minute") as app:
        yield app


def test_password_tries_from_one_client_are_rate_limited(limited):
    client = english_client(limited)
    token = csrf_token(client)
    data = {"csrf_token": token, "email": EMAIL, "password": "not the password"}
    assert [client.post("/staff/login", data=data).status_code for _ in range(3)] == [401] * 3
    refused = client.post("/staff/login", data={**data, "password": PASSWORD})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Wait a minute and try again" in refused.get_data(as_text=True)
    assert client.get("/staff/login").status_code == 200  # the form itself still opens
    other = client.post("/staff/login", data={**data, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 303

"""Open311 API keys: made with a name, printed once, stored hashed, listed without the key,
revoked; the admin pages (the admin fixtures are this folder's conftest.py); and the per-key
rate limit of the Open311 POST route."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from config import config_for_tests
from feedbackgis import create_app
from feedbackgis.domain.tokens import hash_token
from feedbackgis.errors import Conflict, Forbidden, InvalidInput, NotFound
from feedbackgis.extensions import csrf as csrf_protection
from feedbackgis.extensions import db, limiter
from feedbackgis.models import AdminChange, ApiKey, Party
from feedbackgis.rate_limits import open311_key_limit
from feedbackgis.services.open311.api_keys import (
    authenticate_api_key,
    create_api_key,
    find_api_key,
    list_api_keys,
    revoke_api_key,
)
from tests.integration.admin.conftest import changes_of
from tests.integration.staff.staff_world import csrf, sign_in_as
from tests.local_servers import RedisServer

KEY = re.compile(r"[A-Za-z0-9_-]{43}")


@pytest.fixture
def cli(app, connection):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


# --- the service ---------------------------------------------------------------------------

def test_a_key_is_returned_once_and_only_its_sha256_is_stored(session):
    key = create_api_key(session, "  Kaupunkiapp  ")
    assert KEY.fullmatch(key)
    row = session.scalars(select(ApiKey)).one()
    assert (row.name, row.key_hash, row.last_used_at, row.revoked_at) == (
        "Kaupunkiapp", hash_token(key), None, None)
    assert len(row.key_hash) == 64 and key not in row.key_hash
    change = session.scalars(select(AdminChange)).one()
    assert (change.entity, change.entity_id, change.action, change.after) == (
        "api_key", str(row.id), "create", {"name": "Kaupunkiapp"})


def test_two_keys_are_different_and_each_authenticates_its_own_system(session):
    first = create_api_key(session, "Kaupunkiapp")
    second = create_api_key(session, "Palautejärjestelmä")
    assert first != second
    assert authenticate_api_key(session, first).name == "Kaupunkiapp"
    assert authenticate_api_key(session, second).name == "Palautejärjestelmä"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, "tab\there"])
def test_a_name_that_is_empty_too_long_or_has_control_characters_is_refused(session, name):
    with pytest.raises(InvalidInput) as refused:
        create_api_key(session, name)
    assert refused.value.field == "name"
    assert list_api_keys(session) == []


def test_a_name_of_200_characters_is_taken(session):
    create_api_key(session, "x" * 200)
    assert [row.name for row in list_api_keys(session)] == ["x" * 200]


def test_a_name_in_use_is_refused_with_a_clear_conflict_even_once_revoked(session):
    create_api_key(session, "Kaupunkiapp")
    with pytest.raises(Conflict, match="'Kaupunkiapp' exists already") as refused:
        create_api_key(session, " Kaupunkiapp")
    assert refused.value.field == "name"
    revoke_api_key(session, "Kaupunkiapp")
    with pytest.raises(Conflict):
        create_api_key(session, "Kaupunkiapp")
    assert len(list_api_keys(session)) == 1


@pytest.mark.parametrize("key", [None, "", "short", "x" * 43 + "!", "A" * 43])
def test_a_missing_malformed_or_unknown_key_is_forbidden(session, key):
    create_api_key(session, "Kaupunkiapp")
    with pytest.raises(Forbidden) as refused:
        authenticate_api_key(session, key)
    assert refused.value.field == "api_key" and refused.value.status_code == 403


def test_a_revoked_key_is_refused_and_revoking_it_again_changes_nothing(session):
    key = create_api_key(session, "Kaupunkiapp")
    row = revoke_api_key(session, "Kaupunkiapp")
    assert row.revoked_at is not None
    with pytest.raises(Forbidden, match="revoked"):
        authenticate_api_key(session, key)
    revoked_at = row.revoked_at
    assert revoke_api_key(session, "Kaupunkiapp").revoked_at == revoked_at
    assert [c.action for c in changes_of(session, "api_key")] == ["create", "revoke"]


def test_revoking_an_unknown_name_is_not_found(session):
    with pytest.raises(NotFound, match="No API key named 'Ei ole'"):
        revoke_api_key(session, "Ei ole")


def test_last_used_is_noted_at_most_once_a_minute(session):
    key = create_api_key(session, "Kaupunkiapp")
    authenticate_api_key(session, key)
    first = session.scalars(select(ApiKey)).one().last_used_at
    assert first is not None and datetime.now(UTC) - first < timedelta(seconds=30)
    authenticate_api_key(session, key)
    session.expire_all()
    assert session.scalars(select(ApiKey)).one().last_used_at == first  # not within a minute
    earlier = datetime.now(UTC) - timedelta(minutes=2)
    session.execute(update(ApiKey).values(last_used_at=earlier))
    session.commit()
    authenticate_api_key(session, key)
    session.expire_all()
    assert session.scalars(select(ApiKey)).one().last_used_at > earlier + timedelta(minutes=1)


# --- the command line ----------------------------------------------------------------------

def test_apikeys_create_prints_the_key_once_with_a_warning(cli, session):
    result = cli("apikeys", "create", "Kaupunkiapp")
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert KEY.fullmatch(key)
    assert "it is not shown again" in result.stderr
    assert authenticate_api_key(session, key).name == "Kaupunkiapp"
    assert changes_of(session, "api_key")[0].actor == "cli"
    listing = cli("apikeys", "list")
    assert listing.exit_code == 0
    assert "Kaupunkiapp" in listing.output and "never used" not in listing.output
    assert key not in listing.output and hash_token(key) not in listing.output


def test_apikeys_list_and_revoke(cli, session):
    assert cli("apikeys", "list").output.strip() == "No API keys."
    key = cli("apikeys", "create", "Kaupunkiapp").stdout.strip()
    line = cli("apikeys", "list").output
    assert "Kaupunkiapp" in line and "never used" in line and "revoked" not in line
    result = cli("apikeys", "revoke", "Kaupunkiapp")
    assert result.exit_code == 0 and "'Kaupunkiapp' is revoked" in result.output
    assert "revoked 20" in cli("apikeys", "list").output
    with pytest.raises(Forbidden):
        authenticate_api_key(session, key)


def test_apikeys_errors_are_clean_messages_without_a_traceback(cli, session):
    cli("apikeys", "create", "Kaupunkiapp")
    taken = cli("apikeys", "create", "Kaupunkiapp")
    assert taken.exit_code == 1 and "exists already" in taken.output
    assert "Traceback" not in taken.output
    unknown = cli("apikeys", "revoke", "Ei ole")
    assert unknown.exit_code == 1 and "No API key named 'Ei ole'" in unknown.output
    empty = cli("apikeys", "create", " ")
    assert empty.exit_code == 1 and "1-200 characters" in empty.output
    assert len(list_api_keys(session)) == 1


def test_apikeys_create_with_a_party_makes_that_partys_system_key(cli, session, world):
    name = world.unit_a.name
    result = cli("apikeys", "create", "Yksikön järjestelmä", "--party", name)
    assert result.exit_code == 0, result.output
    key = authenticate_api_key(session, result.stdout.strip())
    assert key.party is not None and key.party.name == name
    assert changes_of(session, "api_key")[0].after == {"name": "Yksikön järjestelmä",
                                                        "party": name}
    assert f"party {name}" in cli("apikeys", "list").output
    unknown = cli("apikeys", "create", "Toinen", "--party", "Ei ole")
    assert unknown.exit_code == 1 and "No party named 'Ei ole'" in unknown.output
    assert [row.name for row in list_api_keys(session)] == ["Yksikön järjestelmä"]


# --- the admin pages -----------------------------------------------------------------------

def test_the_admin_gives_a_key_to_a_party_or_to_none(admin_client, post, session, world):
    party = session.scalar(select(Party).where(Party.name == "Urakoitsija Oy"))
    page = admin_client.get("/admin/api-keys").get_data(as_text=True)
    assert '<option value="Urakoitsija Oy">' in page
    assert post("/admin/api-keys", {"name": "Urakoitsijan järjestelmä",
                                    "party": "Urakoitsija Oy"}).status_code == 200
    assert post("/admin/api-keys", {"name": "Kaupunkiapp", "party": ""}).status_code == 200
    keys = {row.name: row.party_id for row in list_api_keys(session)}
    assert keys == {"Urakoitsijan järjestelmä": party.id, "Kaupunkiapp": None}
    listing = admin_client.get("/admin/api-keys").get_data(as_text=True)
    assert "None: a client system" in listing
    refused = post("/admin/api-keys", {"name": "Kolmas", "party": "Ei ole"})
    assert refused.status_code == 422
    assert "Choose one of the parties" in refused.get_data(as_text=True)
    assert len(list_api_keys(session)) == 2


def test_the_admin_creates_a_key_and_sees_it_on_the_result_page_only(
        admin_client, post, session, world):
    response = post("/admin/api-keys", {"name": "Kaupunkiapp"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = re.search(r'id="new-api-key"[^>]*value="([A-Za-z0-9_-]{43})"', page)
    assert found, page
    key = found.group(1)
    assert "it is not shown again" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert authenticate_api_key(session, key).name == "Kaupunkiapp"
    change = changes_of(session, "api_key")[0]
    assert (change.action, change.staff_user_id, change.after) == (
        "create", world.users["admin"].id, {"name": "Kaupunkiapp"})
    listing = admin_client.get("/admin/api-keys").get_data(as_text=True)
    assert "Kaupunkiapp" in listing and key not in listing and hash_token(key) not in listing


def test_the_admin_revokes_a_key_and_it_is_refused_from_then_on(
        admin_client, post, session, world):
    key = create_api_key(session, "Kaupunkiapp")
    response = post("/admin/api-keys/revoke", {"name": "Kaupunkiapp"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/admin/api-keys?done=revoked")
    with pytest.raises(Forbidden):
        authenticate_api_key(session, key)
    change = changes_of(session, "api_key")[-1]
    assert (change.action, change.staff_user_id) == ("revoke", world.users["admin"].id)
    page = admin_client.get("/admin/api-keys?done=revoked").get_data(as_text=True)
    assert "requests with it are refused from now on" in page
    assert "Revoke the key of Kaupunkiapp" not in page  # no button for a revoked key


def test_a_taken_or_empty_name_is_shown_on_the_form_and_nothing_is_stored(
        admin_client, post, session, world):
    create_api_key(session, "Kaupunkiapp")
    taken = post("/admin/api-keys", {"name": "Kaupunkiapp"})
    assert taken.status_code == 409
    assert "no other API key has" in taken.get_data(as_text=True)
    empty = post("/admin/api-keys", {"name": ""})
    assert empty.status_code == 422
    assert 'aria-invalid="true"' in empty.get_data(as_text=True)
    assert len(list_api_keys(session)) == 1


def test_the_api_key_forms_without_their_csrf_token_change_nothing(
        admin_client, session, world):
    create_api_key(session, "Kaupunkiapp")
    assert admin_client.post("/admin/api-keys", data={"name": "Uusi"}).status_code == 400
    assert admin_client.post("/admin/api-keys/revoke",
                             data={"name": "Kaupunkiapp"}).status_code == 400
    assert [row.name for row in list_api_keys(session)] == ["Kaupunkiapp"]
    assert list_api_keys(session)[0].revoked_at is None
    assert len(changes_of(session, "api_key")) == 1


def test_other_roles_get_403_and_the_admin_index_links_the_page(
        client, session, world):
    sign_in_as(client, world.users["manager"])
    token = csrf(client, "/staff/")
    assert client.get("/admin/api-keys").status_code == 403
    assert client.post("/admin/api-keys", data={"csrf_token": token,
                                                "name": "X"}).status_code == 403
    assert list_api_keys(session) == []
    sign_in_as(client, world.users["admin"])
    index = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/api-keys?lang=en"' in index and "Open311 API keys" in index


# --- the rate limit per key ----------------------------------------------------------------

# Two keys in use (as a client writes them: 43 URL-safe characters), and a made-up one.
KEY_A, KEY_B, MADE_UP = "a" * 43, "b" * 43, "c" * 43


@pytest.fixture
def limited_app(tmp_path):
    """An app with a tiny route under the Open311 key limit, counted in a Redis of its own,
    with the keys A and B in use (committed: the limit looks them up in its own session)."""
    redis = RedisServer(tmp_path).start()
    app = create_app({**config_for_tests(), "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": redis.url})

    @app.route("/test-open311-key-limit", methods=["GET", "POST"])
    @csrf_protection.exempt  # as the Open311 blueprint is: an API
    @open311_key_limit
    def limited_view() -> str:
        return "ok"

    with app.app_context():
        db.session.add_all([ApiKey(name="System A", key_hash=hash_token(KEY_A)),
                            ApiKey(name="System B", key_hash=hash_token(KEY_B))])
        db.session.commit()
    yield app
    with app.app_context():
        db.session.execute(delete(ApiKey))
        db.session.commit()
    redis.stop()
    limiter.enabled = False  # the limiter is one object for every app of the process


def test_the_61st_request_of_a_key_in_a_minute_is_refused_but_not_another_keys(limited_app):
    assert limited_app.config["OPEN311_KEY_RATE_LIMIT"] == "60/minute"
    browser = limited_app.test_client()
    statuses = [browser.post("/test-open311-key-limit", data={"api_key": KEY_A}).status_code
                for _ in range(60)]
    assert statuses == [200] * 60
    assert browser.post("/test-open311-key-limit", data={"api_key": KEY_A}).status_code == 429
    # A key in the query string is not read (a URL lands in access logs): such a request
    # spends its address's allowance, not the key's.
    assert browser.get(f"/test-open311-key-limit?api_key={KEY_A}").status_code == 200
    # From another address too: the key counts, not the address.
    other_address = browser.post("/test-open311-key-limit", data={"api_key": KEY_A},
                                environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_address.status_code == 429
    assert browser.post("/test-open311-key-limit", data={"api_key": KEY_B}).status_code == 200


def test_made_up_keys_count_against_the_address_not_each_a_fresh_allowance(limited_app):
    browser = limited_app.test_client()
    # A new made-up key on every request: all of them spend the address's one allowance.
    statuses = [browser.post("/test-open311-key-limit",
                             data={"api_key": f"{index:02d}" + "x" * 41}).status_code
                for index in range(61)]
    assert statuses == [200] * 60 + [429]
    assert browser.post("/test-open311-key-limit", data={"api_key": MADE_UP}).status_code == 429
    # A real key still has its own allowance, and another address its own.
    assert browser.post("/test-open311-key-limit", data={"api_key": KEY_B}).status_code == 200
    assert browser.post("/test-open311-key-limit", data={"api_key": MADE_UP},
                        environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 200


def test_a_name_with_a_nul_is_no_key_not_a_500(session) -> None:
    with pytest.raises(NotFound):
        find_api_key(session, "a\x00b")

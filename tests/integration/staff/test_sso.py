"""Single sign-on through OpenID Connect, against a small provider of the test's own on
loopback (tests/oidc_provider.py): the code flow with PKCE, state and nonce, the ID token's
checks, and which staff account the verified email opens (an existing, active one only)."""
from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from feedbackgis.models import StaffUser
from feedbackgis.services.staff.users import disable_user
from tests.local_servers import free_port
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider

from .signing_in import EMAIL, english_client, is_signed_in, make_staff_user

REFUSED = "The sign-in could not be completed."


@pytest.fixture
def provider(app, monkeypatch):
    """The provider, and the app set up to sign in through it."""
    server = OidcProvider().start()
    monkeypatch.setitem(app.config, "OIDC_ISSUER", server.url)
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setitem(app.config, "OIDC_BUTTON_LABEL", "Kaupungin tunnus")
    yield server
    server.stop()


@pytest.fixture
def user(session):
    return make_staff_user(session)


def _through_provider(app, client, start="/staff/login/sso"):
    """Start at our page, let the provider approve, and come back: the callback's answer."""
    started = client.get(start)
    assert started.status_code == 302, started.get_data(as_text=True)
    approved = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    assert approved.status_code == 302
    callback = approved.headers["Location"]
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert callback.startswith(base + "/staff/login/sso/callback?")
    return client.get(callback.removeprefix(base))


def _refusal(response) -> str:
    assert response.status_code == 403, response.status_code
    return response.get_data(as_text=True)


def test_signing_in_through_the_provider_opens_the_staff_pages(app, client, provider, user):
    response = _through_provider(app, client, "/staff/login/sso?next=/staff/?page=2")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/?page=2"
    assert is_signed_in(client)
    [asked] = provider.authorize_requests
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) >= 43
    assert asked["state"] and asked["nonce"] and "openid" in asked["scope"].split()
    [exchanged] = provider.token_requests
    assert exchanged["grant_type"] == "authorization_code" and exchanged["code_verifier"]


def test_the_login_page_shows_the_button_only_when_single_sign_on_is_set_up(
        app, client, monkeypatch):
    assert 'id="sso-sign-in"' not in client.get("/staff/login").get_data(as_text=True)
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "https://login.example/realms/city")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", CLIENT_ID)
    page = client.get("/staff/login?next=/staff/").get_data(as_text=True)
    assert 'id="sso-sign-in"' in page
    assert "Sign in with your organisation&#39;s account" in page
    monkeypatch.setitem(app.config, "OIDC_BUTTON_LABEL", "Kaupungin <tunnus>")
    assert "Kaupungin &lt;tunnus&gt;" in client.get("/staff/login").get_data(as_text=True)


def test_without_single_sign_on_its_pages_are_not_there(client):
    assert client.get("/staff/login/sso").status_code == 404
    assert client.get("/staff/login/sso/callback?code=x&state=y").status_code == 404


def _refused_because(app, client, caplog, error: str) -> None:
    """Refused, not signed in, and for the reason given (the error's kind, logged)."""
    caplog.set_level(logging.WARNING, logger="feedbackgis.web.staff.sso")
    assert REFUSED in _refusal(_through_provider(app, client))
    assert f"Single sign-on refused: {error}" in caplog.text
    assert not is_signed_in(client)


@pytest.mark.parametrize(("wrong", "error"), [
    ({"nonce": "not-the-nonce-we-sent"}, "InvalidClaimError"),
    ({"aud": "another-client"}, "InvalidClaimError"),
    # A token for another client that names us as its authorized party: still not ours.
    ({"aud": "another-client", "azp": CLIENT_ID}, "InvalidClaimError"),
    ({"iss": "https://impostor.example"}, "InvalidClaimError"),
    ({"exp": int(time.time()) - 600, "iat": int(time.time()) - 900}, "ExpiredTokenError"),
    ({"sub": None}, "MissingClaimError"),
], ids=["nonce", "audience", "audience-with-our-azp", "issuer", "expired", "no-subject"])
def test_an_id_token_with_a_wrong_claim_is_refused(app, client, provider, user, caplog,
                                                   wrong, error):
    provider.claims.update(wrong)
    _refused_because(app, client, caplog, error)


def test_an_id_token_for_several_audiences_that_include_us_is_accepted(app, client,
                                                                        provider, user):
    provider.claims.update({"aud": [CLIENT_ID, "another-client"], "azp": CLIENT_ID})
    assert _through_provider(app, client).status_code == 303


def test_an_id_token_with_a_tampered_signature_is_refused(app, client, provider, user,
                                                          caplog):
    provider.tamper_signature = True
    _refused_because(app, client, caplog, "BadSignatureError")


def test_an_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused(
        app, client, provider, user, caplog):
    provider.sign_with_unknown_key = True
    _refused_because(app, client, caplog, "BadSignatureError")


def test_the_metadata_url_alone_is_enough_and_its_issuer_is_required(
        app, client, provider, user, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "")
    monkeypatch.setitem(app.config, "OIDC_METADATA_URL",
                        f"{provider.url}/.well-known/openid-configuration")
    assert _through_provider(app, client).status_code == 303
    other_browser = english_client(app)
    provider.claims["iss"] = "https://impostor.example"
    _refused_because(app, other_browser, caplog, "InvalidClaimError")


def test_an_email_without_a_staff_account_is_refused_and_nobody_is_created(
        app, client, session, provider, user):
    provider.email = "someone.else@example.fi"
    page = _refusal(_through_provider(app, client))
    assert "There is no staff account for someone.else@example.fi" in page
    assert session.scalar(select(func.count()).select_from(StaffUser)) == 1
    assert not is_signed_in(client)


def test_a_disabled_account_is_refused(app, client, session, provider, user):
    disable_user(session, EMAIL)
    assert "has been disabled" in _refusal(_through_provider(app, client))
    assert not is_signed_in(client)


def test_an_unverified_email_is_refused(app, client, provider, user, monkeypatch):
    provider.claims["email_verified"] = False
    assert "did not confirm your email address" in _refusal(_through_provider(app, client))
    provider.claims["email_verified"] = None  # no claim at all (as Entra ID sends it)
    assert "did not confirm your email address" in _refusal(_through_provider(app, client))
    monkeypatch.setitem(app.config, "OIDC_REQUIRE_VERIFIED_EMAIL", False)
    assert _through_provider(app, client).status_code == 303
    assert is_signed_in(client)


def test_the_email_is_matched_whatever_its_case(app, client, provider, user):
    provider.email = "Kaisa@Example.FI"
    assert _through_provider(app, client).status_code == 303


def test_a_callback_without_the_state_this_browser_started_is_refused(
        app, client, provider, user):
    """Login CSRF: someone else's callback (their code and state) does not sign us in."""
    attacker = english_client(app)
    started = attacker.get("/staff/login/sso")
    approved = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    callback = approved.headers["Location"].removeprefix(
        app.config["PUBLIC_BASE_URL"].rstrip("/"))
    assert REFUSED in _refusal(client.get(callback))
    assert not is_signed_in(client)
    assert provider.token_requests == []  # refused before any code was exchanged


def test_a_callback_is_good_once(app, client, provider, user):
    started = client.get("/staff/login/sso")
    approved = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    callback = approved.headers["Location"].removeprefix(
        app.config["PUBLIC_BASE_URL"].rstrip("/"))
    assert client.get(callback).status_code == 303
    assert REFUSED in _refusal(client.get(callback))


def test_the_provider_saying_no_is_refused_clearly(app, client, provider, user):
    started = client.get("/staff/login/sso")
    state = parse_qs(urlsplit(started.headers["Location"]).query)["state"][0]
    response = client.get(f"/staff/login/sso/callback?error=access_denied&state={state}")
    assert REFUSED in _refusal(response)


def test_next_after_single_sign_on_stays_on_the_staff_pages(app, client, provider, user):
    response = _through_provider(app, client, "/staff/login/sso?next=//evil.example/")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/"


def test_an_unreachable_provider_gets_a_clear_page(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_ISSUER", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", CLIENT_ID)
    response = client.get("/staff/login/sso")
    assert response.status_code == 503
    assert "cannot be reached just now" in response.get_data(as_text=True)

"""Optional single sign-on for staff through OpenID Connect (Entra ID, Keycloak ...).

On when OIDC_CLIENT_ID and OIDC_ISSUER (or OIDC_METADATA_URL) are set; otherwise its pages
are 404 and the login page shows no button. Authlib runs the authorization code flow with
PKCE (S256), a state and a nonce kept in the signed session cookie, and validates the ID
token: its signature with the provider's keys (JWKS), the issuer, the audience (our client
id), the nonce and the expiry. The verified email then picks the staff account
(services/staff/single_sign_on.py): nobody is created here.
"""
from __future__ import annotations

import logging
from typing import Any

import requests
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App, OAuthError
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from joserfc.errors import JoseError

from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.services.staff.single_sign_on import sign_in_verified_email
from feedbackgis.services.staff.users import LoginOutcome
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.redirects import local_staff_path
from feedbackgis.web.staff.session import sign_in

log = logging.getLogger(__name__)

NEXT_KEY = "staff_sso_next"  # where to go after the provider sends the user back
SCOPE = "openid email profile"
PROVIDER_TIMEOUT_SECONDS = 10

REFUSED = N_("The sign-in could not be completed. Start again from the sign-in page.")
NO_VERIFIED_EMAIL = N_("The sign-in service did not confirm your email address, so we "
                       "cannot tell which staff account is yours. Ask an administrator.")
UNKNOWN_ACCOUNT = N_("There is no staff account for %(email)s. Ask an administrator to "
                     "create one.")
DISABLED = N_("This account has been disabled. Ask an administrator.")
UNREACHABLE = N_("The sign-in service cannot be reached just now. Try again in a moment, "
                 "or sign in with your password.")


def sso_enabled() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_CLIENT_ID")
                and (config.get("OIDC_ISSUER") or config.get("OIDC_METADATA_URL")))


def _metadata_url(config: Any) -> str:
    return (config["OIDC_METADATA_URL"]
            or config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration")


def _client() -> FlaskOAuth2App:
    """The provider's client, one per app and settings: it keeps the provider's metadata
    and keys once fetched (fetched again when a token names a key it does not know)."""
    config = current_app.config
    settings = (_metadata_url(config), config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"])
    clients = current_app.extensions.setdefault("feedbackgis.oidc", {})
    if settings not in clients:
        metadata_url, client_id, client_secret = settings
        clients[settings] = FlaskOAuth2App(
            FlaskIntegration("oidc"), "oidc", client_id=client_id,
            client_secret=client_secret or None, server_metadata_url=metadata_url,
            client_kwargs={
                "scope": SCOPE, "code_challenge_method": "S256",
                "default_timeout": PROVIDER_TIMEOUT_SECONDS,
                # A public client (no secret) proves itself with PKCE alone.
                "token_endpoint_auth_method": "client_secret_basic" if client_secret
                else "none",
            })
    return clients[settings]


def _callback_url() -> str:
    # The address registered at the provider: the public one, not whatever Host came in.
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("staff.sso_callback")


def _refusal(message: str, status: int = 403) -> Any:
    return render_template("staff/sso_refused.html", message=message), status


@staff_blueprint.get("/login/sso")
def sso_start() -> Any:
    if not sso_enabled():
        abort(404)
    session[NEXT_KEY] = local_staff_path(request.args.get("next"))
    try:
        return _client().authorize_redirect(_callback_url())
    except requests.RequestException as exc:
        log.warning("OpenID provider unreachable: %s", type(exc).__name__)
        return _refusal(gettext(UNREACHABLE), 503)


def _claims_options(client: FlaskOAuth2App) -> dict[str, Any] | None:
    """What the ID token's issuer and audience must be. Authlib checks the audience only
    through `azp` (a token for another client passes when its azp names us), so both are
    given here; None when the provider's metadata names no issuer."""
    config = current_app.config
    issuer = config["OIDC_ISSUER"] or client.load_server_metadata().get("issuer")
    if not issuer:
        return None
    return {"iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [config["OIDC_CLIENT_ID"]]}}


def _verified_claims() -> dict[str, Any] | None:
    """The validated ID token's claims, or None when anything about it is wrong."""
    client = _client()
    options = _claims_options(client)
    if options is None:
        log.warning("Single sign-on refused: the provider's metadata names no issuer")
        return None
    try:
        token = client.authorize_access_token(claims_options=options)
    except (OAuthError, JoseError, ValueError) as exc:
        # The kind only: a provider's message may quote the user's address.
        log.warning("Single sign-on refused: %s", type(exc).__name__)
        return None
    claims = token.get("userinfo")  # set only from a validated ID token
    return dict(claims) if claims else None


def _verified_email(claims: dict[str, Any]) -> str | None:
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip() or "\x00" in email:
        return None
    verified = claims.get("email_verified")
    if current_app.config["OIDC_REQUIRE_VERIFIED_EMAIL"]:
        return email if verified in (True, "true") else None
    return None if verified in (False, "false") else email


@staff_blueprint.get("/login/sso/callback")
def sso_callback() -> Any:
    if not sso_enabled():
        abort(404)
    try:
        claims = _verified_claims()
    except requests.RequestException as exc:
        log.warning("OpenID provider unreachable: %s", type(exc).__name__)
        return _refusal(gettext(UNREACHABLE), 503)
    if claims is None:
        return _refusal(gettext(REFUSED))
    email = _verified_email(claims)
    if email is None:
        return _refusal(gettext(NO_VERIFIED_EMAIL))
    attempt = sign_in_verified_email(db.session, email)
    if attempt.outcome is LoginOutcome.DISABLED:
        return _refusal(gettext(DISABLED))
    if not attempt.signed_in or attempt.user is None:
        return _refusal(gettext(UNKNOWN_ACCOUNT, email=email))
    wanted = session.pop(NEXT_KEY, None)
    sign_in(attempt.user)
    return redirect(local_staff_path(wanted) or url_for("staff.inbox"), code=303)

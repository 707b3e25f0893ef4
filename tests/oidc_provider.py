"""A small OpenID Connect provider on loopback, for the single sign-on tests.

It serves discovery (/.well-known/openid-configuration), /authorize (approves at once and
sends the browser back with a code), /token (checks the client's secret and the PKCE
verifier, and answers with an RS256 ID token signed with a key made for the test) and /jwks.
Its knobs make the ID token wrong in one way at a time: another nonce, audience or issuer,
an expired token, a tampered signature, a key the JWKS does not hold.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from typing import Any

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

from tests.local_servers import free_port

CLIENT_ID = "feedbackgis-staff"
CLIENT_SECRET = "provider-test-secret"  # noqa: S105 - a test provider's


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcProvider:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A key id of its own: a later provider of the tests may get the same port (so the
        # same issuer), and the app, which keeps a provider's keys by their id, must see a
        # new key, as it would when a real provider rotates its keys.
        self.kid = f"test-key-{secrets.token_hex(8)}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": self.kid})
        # Who signs in, and what to change in the ID token (claims set or removed).
        self.email: str | None = "kaisa@example.fi"
        self.claims: dict[str, Any] = {"email_verified": True}
        self.tamper_signature = False
        self.sign_with_unknown_key = False
        # What the provider saw, for the tests to check the flow's parameters.
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self._codes: dict[str, dict[str, str]] = {}
        self._server = make_server("127.0.0.1", self.port, self._app(), threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> OidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)

    def _app(self) -> Flask:
        app = Flask("oidc_provider")
        app.add_url_rule("/.well-known/openid-configuration", view_func=self._discovery)
        app.add_url_rule("/authorize", view_func=self._authorize)
        app.add_url_rule("/token", view_func=self._token, methods=["POST"])
        app.add_url_rule("/jwks", view_func=self._jwks)
        return app

    def _discovery(self) -> Any:
        return jsonify({
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        })

    def _jwks(self) -> Any:
        return jsonify(KeySet([self.key]).as_dict(private=False))

    def _authorize(self) -> Any:
        asked = request.args.to_dict()
        self.authorize_requests.append(asked)
        if asked.get("client_id") != CLIENT_ID or asked.get("response_type") != "code":
            abort(400)
        code = secrets.token_urlsafe(16)
        self._codes[code] = asked
        return redirect(f"{asked['redirect_uri']}?code={code}&state={asked.get('state', '')}")

    def _token(self) -> Any:
        form = request.form.to_dict()
        self.token_requests.append(form)
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
            return jsonify({"error": "invalid_client"}), 401
        asked = self._codes.pop(form.get("code", ""), None)
        if (asked is None or form.get("redirect_uri") != asked["redirect_uri"]
                or _s256(form.get("code_verifier", "")) != asked.get("code_challenge")):
            return jsonify({"error": "invalid_grant"}), 400
        return jsonify({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                        "expires_in": 300, "id_token": self._id_token(asked)})

    def _id_token(self, asked: dict[str, str]) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.url, "sub": "user-1", "aud": CLIENT_ID,
                                  "iat": now, "exp": now + 300, "nonce": asked.get("nonce")}
        if self.email is not None:
            claims["email"] = self.email
        claims.update(self.claims)
        claims = {name: value for name, value in claims.items() if value is not None}
        key = self.key
        if self.sign_with_unknown_key:  # another key under the published key's id
            key = RSAKey.generate_key(2048, parameters={"kid": self.kid})
        token = jwt.encode({"alg": "RS256", "kid": self.kid}, claims, key)
        if self.tamper_signature:
            header, payload, signature = token.split(".")
            flipped = "A" if signature[0] != "A" else "B"
            token = f"{header}.{payload}.{flipped}{signature[1:]}"
        return token

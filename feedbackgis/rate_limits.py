"""The per-client rate limits of the pages and the API, each a decorator for a view.

Shared scopes: a submission through the form and one through the API count against the same
limit, and so do the follow-up actions. A limited client gets 429 with Retry-After.
"""
from __future__ import annotations

import time

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address

from feedbackgis.extensions import db, limiter
from feedbackgis.models import ApiKey
from feedbackgis.services.open311.api_keys import PARAMETER, stored_api_key

submission_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_SUBMISSIONS"], scope="submissions")
follow_up_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_FOLLOW_UPS"], scope="follow-ups")
upload_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_UPLOADS"], scope="uploads")
# Password guessing from one client, and reset emails asked for from one client. Only the
# POSTs count: opening the forms is free.
staff_login_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_STAFF_LOGINS"], scope="staff-logins",
    methods=["POST"])
staff_password_reset_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_STAFF_PASSWORD_RESETS"],
    scope="staff-password-resets", methods=["POST"])


API_KEY_OF_REQUEST = "feedbackgis.open311_api_key"


def request_api_key() -> ApiKey | None:
    """The stored key (in use or revoked) that the request's form names, or None: looked up
    once a request, by the key's rate limit and then by the view. The key is read from the
    form only, as the views read it: a key in a URL would land in access logs.

    Kept in the request's environ rather than in `g`: an app context (and its `g`) can
    outlive a request, as in a test that sends several from one."""
    if API_KEY_OF_REQUEST not in request.environ:
        request.environ[API_KEY_OF_REQUEST] = stored_api_key(
            db.session, request.form.get(PARAMETER, ""))
    return request.environ[API_KEY_OF_REQUEST]


def open311_key() -> str:
    """Whose allowance an Open311 request spends: its api_key's SHA-256 when that is a key in
    use (the key itself is never put in Redis), else its address: a request with no key or a
    made-up one (refused anyway) cannot escape the limit by changing the key."""
    api_key = request_api_key()
    if api_key is not None and api_key.revoked_at is None:
        return f"key:{api_key.key_hash}"
    return f"address:{get_remote_address()}"


# Per client system of the Open311 API, whichever addresses its requests come from: for the
# route that creates reports (a key's requests count together, however many routes use it).
open311_key_limit = limiter.shared_limit(
    lambda: current_app.config["OPEN311_KEY_RATE_LIMIT"], scope="open311-key",
    key_func=open311_key)

# Per address, on every public read of the Open311 API (GET and HEAD: discovery, services,
# requests, tokens, servicerequestupdates, counted together): reads need no key, so the
# address is what one client is. Applied to the whole blueprint (open311/blueprint.py).
open311_read_limit = limiter.shared_limit(
    lambda: current_app.config["OPEN311_READ_RATE_LIMIT"], scope="open311-reads",
    methods=["GET", "HEAD"])


def add_retry_after(response: Response) -> Response:
    """Retry-After on a request a limit refused (429): the seconds until the limit's window
    lets it through again, read from the limit's counter only then."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        hit = limiter.current_limit
        # reset_at is the window's end rounded up, as in flask-limiter's own header.
        seconds = int(hit.reset_at - time.time()) if hit is not None else 60
        response.headers["Retry-After"] = str(max(1, seconds))
    return response

"""Who is signed in on the staff pages: the session, its expiry, and the login guard.

The session (Flask's signed cookie) holds the user's id and two times: when they signed in
and when they were last seen. It ends after STAFF_SESSION_IDLE_MINUTES without a request
and STAFF_SESSION_MAX_HOURS after signing in, and at once when the account is disabled, its
password changed or the user signed out anywhere (the session remembers a fingerprint of
the hash and of the sign-out count it was opened with).
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, redirect, request, session, url_for

from feedbackgis.extensions import db
from feedbackgis.models import StaffUser

SESSION_KEY = "staff"


def password_fingerprint(user: StaffUser) -> str:
    """Changes when the password does, and when every session of the user is ended."""
    held = f"{user.password_hash or 'sso'}:{user.session_epoch or 0}"
    return hashlib.sha256(held.encode()).hexdigest()[:16]


def sign_in(user: StaffUser) -> None:
    """Open a staff session for user: a fresh session, so nothing carries over from before
    (a resident's form state, another user's session)."""
    session.clear()
    now = int(time.time())
    session[SESSION_KEY] = {"id": user.id, "since": now, "seen": now,
                            "key": password_fingerprint(user)}
    session.permanent = True
    g.staff_user = user


def sign_out() -> None:
    """End the user's sessions: this one, and any other (another device, a copied cookie):
    the cookie alone cannot be taken back, so the account stops accepting those it issued."""
    user = current_staff_user()
    if user is not None:
        user.session_epoch = (user.session_epoch or 0) + 1
        db.session.commit()
    session.pop(SESSION_KEY, None)
    g.staff_user = None


def current_staff_user() -> StaffUser | None:
    """The signed-in user, or None when nobody is, or their session has expired."""
    if "staff_user" not in g:
        g.staff_user = _user_of_session()
    return g.staff_user


def _user_of_session() -> StaffUser | None:
    held = session.get(SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("id"), int):
        return None
    now = int(time.time())
    config = current_app.config
    idle = now - int(held.get("seen", 0)) > config["STAFF_SESSION_IDLE_MINUTES"] * 60
    too_old = now - int(held.get("since", 0)) > config["STAFF_SESSION_MAX_HOURS"] * 3600
    user = db.session.get(StaffUser, held["id"])
    if (idle or too_old or user is None or not user.active
            or held.get("key") != password_fingerprint(user)):
        session.pop(SESSION_KEY, None)
        return None
    held["seen"] = now
    session.modified = True
    return user


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send whoever is not signed in to the login page, back here afterwards."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_staff_user() is None:
            return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return guarded

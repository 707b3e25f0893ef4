"""Signing in and out of the staff pages."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from flask_babel import gettext

from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.services.staff.users import LoginOutcome, verify_password
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.session import current_staff_user, sign_in, sign_out

REFUSALS = {
    LoginOutcome.WRONG_CREDENTIALS: N_("The email address or the password is wrong."),
    LoginOutcome.LOCKED: N_("Too many wrong passwords: the account is locked for 15 minutes. "
                            "Try again later, or reset your password."),
    LoginOutcome.DISABLED: N_("This account has been disabled. Ask an administrator."),
}


def _next_page() -> str:
    """Where to go after signing in: a path of this site only (never another host)."""
    wanted = request.values.get("next", "")
    parts = urlsplit(wanted)
    if wanted.startswith("/staff") and not parts.scheme and not parts.netloc:
        return wanted
    return url_for("staff.inbox")


@staff_blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET" and current_staff_user() is not None:
        return redirect(_next_page())
    error, email = None, ""
    if request.method == "POST":
        email = request.form.get("email", "").strip()
        attempt = verify_password(db.session, email, request.form.get("password", ""))
        if attempt.signed_in and attempt.user is not None:
            sign_in(attempt.user)
            return redirect(_next_page(), code=303)
        error = gettext(REFUSALS[attempt.outcome])
    status = 401 if error else 200
    return render_template("staff/login.html", error=error, email=email,
                           next=request.values.get("next", "")), status


@staff_blueprint.post("/logout")
def logout() -> Any:
    sign_out()
    return redirect(url_for("staff.login"), code=303)

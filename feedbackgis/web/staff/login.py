"""Signing in and out of the staff pages with an email and a password.

The form carries a CSRF token (CSRFProtect is global: a POST without one is refused with
400 before anything is checked), its POSTs are rate limited per client (staff_login_limit),
and the service locks an account after five wrong passwords in a row. After signing in the
user goes back to the staff page they came from, and never anywhere else (`next` must be a
path under /staff on this site).
"""
from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from feedbackgis.domain.permissions import Role
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.rate_limits import staff_login_limit
from feedbackgis.services.staff.users import LoginOutcome, verify_password
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.redirects import local_staff_path
from feedbackgis.web.staff.session import current_staff_user, sign_in, sign_out
from feedbackgis.web.staff.sso import sso_enabled

REFUSALS = {
    LoginOutcome.WRONG_CREDENTIALS: N_("The email address or the password is wrong."),
    LoginOutcome.LOCKED: N_("Too many wrong passwords: the account is locked for 15 minutes. "
                            "Try again later, or reset your password."),
    LoginOutcome.DISABLED: N_("This account has been disabled. Ask an administrator."),
}
# What the login page says when another page sent the user here (?done=...).
NOTICES = {
    "password": N_("Your new password is set. Sign in with it."),
    "signed-out": N_("You have signed out."),
}


def _next_page() -> str:
    wanted = local_staff_path(request.values.get("next"))
    if wanted:
        return wanted
    # A contractor's home is its work orders, made for the phone it signs in with.
    user = current_staff_user()
    if user is not None and user.role is Role.CONTRACTOR:
        return url_for("work.orders")
    return url_for("staff.inbox")


def sso_label() -> str | None:
    """The single sign-on button's text, or None when single sign-on is off."""
    if not sso_enabled():
        return None
    return (current_app.config["OIDC_BUTTON_LABEL"]
            or gettext("Sign in with your organisation's account"))


def login_page(*, error: str | None = None, email: str = "", status: int = 200) -> Any:
    notice = request.args.get("done", "")
    return render_template(
        "staff/login.html", error=error, email=email, next=local_staff_path(
            request.values.get("next")) or "",
        notice=gettext(NOTICES[notice]) if notice in NOTICES and not error else None,
        sso_label=sso_label(),
    ), status


@staff_blueprint.route("/login", methods=["GET", "POST"])
@staff_login_limit
def login() -> Any:
    if request.method == "GET":
        if current_staff_user() is not None:
            return redirect(_next_page())
        return login_page()
    email = request.form.get("email", "").strip()
    # No account's address holds a NUL (and PostgreSQL takes none): refused like any other.
    looked_up = "" if "\x00" in email else email
    attempt = verify_password(db.session, looked_up, request.form.get("password", ""))
    if attempt.signed_in and attempt.user is not None:
        sign_in(attempt.user)
        return redirect(_next_page(), code=303)
    # 401 for every refusal alike: the status tells nothing the text does not.
    return login_page(error=gettext(REFUSALS[attempt.outcome]),
                      email=email.replace("\x00", ""), status=401)


@staff_blueprint.post("/logout")
def logout() -> Any:
    sign_out()
    return redirect(url_for("staff.login", done="signed-out"), code=303)

"""A forgotten password: ask for a link by email, then choose a new password through it.

Asking answers the same whether or not the address has an account (and is rate limited per
client), so the page tells nobody who works here. The link's token is checked by
services/staff/password_reset.py; it is a secret, so its page is kept out of caches (the
blueprint's no-store) and out of Referer headers.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext

from feedbackgis.errors import InvalidInput
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.rate_limits import staff_password_reset_limit
from feedbackgis.services.staff.password_reset import (
    ResetLinkRefused,
    ResetRefusal,
    request_password_reset,
    reset_password,
    user_of_reset_token,
)
from feedbackgis.services.staff.users import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from feedbackgis.web.staff import staff_blueprint

# Same-origin, not no-referrer: the form on the page must send a Referer of our own to
# pass the CSRF check over HTTPS, and no other site gets the token in the address.
TOKEN_PAGE_HEADERS = {"Referrer-Policy": "same-origin"}
NO_EMAIL = N_("Write the email address of your staff account.")
PASSWORD_RULE = N_("Choose a password of at least %(min)s and at most %(max)s characters.")
NOT_THE_SAME = N_("The two passwords are not the same. Write the new password twice.")
LINK_REFUSALS = {
    ResetRefusal.EXPIRED: N_("This link has expired. Ask for a new one below."),
    ResetRefusal.INVALID: N_("This link is not valid, or it has been used already. Ask for a "
                             "new one below."),
}


def _max_age_seconds() -> int:
    return current_app.config["STAFF_PASSWORD_RESET_HOURS"] * 3600


@staff_blueprint.route("/password-reset", methods=["GET", "POST"])
@staff_password_reset_limit
def password_reset_request() -> Any:
    if request.method == "GET":
        return render_template("staff/password_reset_request.html", error=None, email="",
                               sent=request.args.get("sent") == "1")
    email = request.form.get("email", "").strip()
    if not email:
        return render_template("staff/password_reset_request.html", error=gettext(NO_EMAIL),
                               email="", sent=False), 422
    request_password_reset(db.session, email, g.language)
    # The same answer for every address: back to the form, which says a link is on its way
    # if the address has an account.
    return redirect(url_for("staff.password_reset_request", sent=1, lang=g.language), 303)


def _link_refused(refusal: ResetLinkRefused) -> Any:
    page = render_template("staff/password_reset_invalid.html",
                           message=gettext(LINK_REFUSALS[refusal.reason]))
    return page, 400, TOKEN_PAGE_HEADERS


def _password_form(token: str, error: str | None = None, status: int = 200) -> Any:
    page = render_template("staff/password_reset_form.html", token=token, error=error,
                           min_length=MIN_PASSWORD_LENGTH)
    return page, status, TOKEN_PAGE_HEADERS


def _check_link(token: str) -> None:
    user_of_reset_token(db.session, current_app.config["SECRET_KEY"], token,
                        _max_age_seconds())


@staff_blueprint.get("/password-reset/<token>")
def password_reset_form(token: str) -> Any:
    try:
        _check_link(token)
    except ResetLinkRefused as refusal:
        return _link_refused(refusal)
    return _password_form(token)


@staff_blueprint.post("/password-reset/<token>")
def password_reset_set(token: str) -> Any:
    password = request.form.get("password", "")
    try:
        _check_link(token)  # a dead link says so, whatever was typed
        if password != request.form.get("password_again", ""):
            return _password_form(token, gettext(NOT_THE_SAME), 422)
        reset_password(db.session, current_app.config["SECRET_KEY"], token, password,
                       _max_age_seconds())
    except ResetLinkRefused as refusal:
        return _link_refused(refusal)
    except InvalidInput:
        rule = gettext(PASSWORD_RULE, min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)
        return _password_form(token, rule, 422)
    return redirect(url_for("staff.login", done="password", lang=g.language), 303)

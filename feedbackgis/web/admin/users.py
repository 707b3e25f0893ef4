"""Users and roles on the admin pages: the list, a new account (emailed a link to choose
its password, or given a one-time password by the admin), an account's page (name, role,
party, enabled; a new password link; its history), through services/staff/users.py as
`feedbackgis users ...` does."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for

from feedbackgis.domain.permissions import PARTY_ROLES, Action, Role
from feedbackgis.errors import InvalidInput, ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.models import StaffUser
from feedbackgis.services.admin.audit import Entity, history
from feedbackgis.services.catalog.listing import all_parties
from feedbackgis.services.staff import users as service
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.forms import checked, form_values, optional_text, refusal, text
from feedbackgis.web.admin.texts import PARTY_KIND_NAMES, ROLE_NAMES, done_message

LINK = "link"
USER_ERRORS = {
    "email": N_("Give the person's email address, not used by another account."),
    "name": N_("The name may be at most 200 characters."),
    "role": N_("Choose a role. You cannot take away your own admin role."),
    "party": N_("A handler belongs to a municipal unit and a contractor to a contractor; "
                "the other roles belong to no party."),
    "password": N_("Choose a password of at least %(min)s and at most %(max)s characters, "
                   "written twice alike, or send the user a link to choose one."),
    "active": N_("You cannot disable your own account."),
    "language": N_("Choose Finnish, Swedish or English."),
}


def _refusal(exc: ServiceError) -> tuple[dict[str, str], int]:
    return refusal(exc, USER_ERRORS, min=service.MIN_PASSWORD_LENGTH,
                   max=service.MAX_PASSWORD_LENGTH)


def _form_page(page: str, status: int = 200, **context: Any) -> Any:
    return render_template(page, roles=ROLE_NAMES, parties=all_parties(db.session),
                           kinds=PARTY_KIND_NAMES, min_password=service.MIN_PASSWORD_LENGTH,
                           **context), status


def _user_values(user: StaffUser | None) -> dict[str, Any]:
    if user is None:
        return {"role": Role.HANDLER.value, "password_choice": LINK, "language": g.language}
    return {"email": user.email, "name": user.name or "", "role": user.role.value,
            "party": user.party.name if user.party else "", "active": user.active,
            "language": user.language}


def _party_for_role() -> str:
    # The form offers a party to every role; a role that takes none ignores the choice.
    return text("party") if text("role") in {role.value for role in PARTY_ROLES} else ""


@admin_blueprint.get("/users")
@admin_required(Action.MANAGE_USERS)
def users() -> Any:
    return render_template("admin/users.html", users=service.list_users(db.session),
                           roles=ROLE_NAMES)


def _one_time_password() -> str | None:
    """The password the admin typed (twice), or None when a link is to be sent."""
    if text("password_choice") == LINK:
        return None
    password = text("password")
    if password != text("password_again"):
        raise InvalidInput("The two passwords are not the same.", field="password")
    return password


@admin_blueprint.route("/users/new", methods=["GET", "POST"])
@admin_required(Action.MANAGE_USERS)
def new_user() -> Any:
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            password = _one_time_password()
            user = service.create_user(
                db.session, text("email"), text("role"), password, party=_party_for_role(),
                name=text("name"), send_password_link=password is None,
                language=text("language") or g.language, actor=admin())
        except ServiceError as exc:
            errors, status = _refusal(exc)
        else:
            return redirect(url_for("admin.user", user_id=user.id, done="created",
                                    lang=g.language), 303)
    values = form_values(_user_values(None))
    values.pop("password", None)  # never sent back to the browser
    values.pop("password_again", None)
    return _form_page("admin/user_new.html", status, errors=errors, values=values)


@admin_blueprint.route("/users/<id:user_id>", methods=["GET", "POST"])
@admin_required(Action.MANAGE_USERS)
def user(user_id: int) -> Any:
    found = service.get_user(db.session, user_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            service.update_user(db.session, found.email, service.UserChanges(
                name=text("name"), role=text("role"), party=_party_for_role(),
                active=checked("active"), language=optional_text("language") or None),
                actor=admin())
        except ServiceError as exc:
            errors, status = _refusal(exc)
            found = service.get_user(db.session, user_id)
        else:
            return redirect(url_for("admin.user", user_id=user_id, done="saved",
                                    lang=g.language), 303)
    return _form_page("admin/user.html", status, user=found, errors=errors,
                      values=form_values(_user_values(found)),
                      changes=history(db.session, Entity.USER, user_id), done=done_message())


@admin_blueprint.post("/users/<id:user_id>/password-link")
@admin_required(Action.MANAGE_USERS)
def user_password_link(user_id: int) -> Any:
    found = service.get_user(db.session, user_id)
    try:
        service.send_password_link(db.session, found.email, text("language") or g.language,
                                   actor=admin())
    except ServiceError as exc:
        errors, status = _refusal(exc)
        return _form_page("admin/user.html", status, user=found, errors=errors,
                          values=_user_values(found), done=None,
                          changes=history(db.session, Entity.USER, user_id))
    return redirect(url_for("admin.user", user_id=user_id, done="link-sent",
                            lang=g.language), 303)

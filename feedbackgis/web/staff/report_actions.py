"""The actions of a report's staff page: each a form post (CSRF) that answers with a
redirect back to the page (303), or the page again with what was wrong (422, 409, 403)."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import current_app, redirect, request
from flask_babel import gettext

from feedbackgis.errors import Forbidden, InvalidInput, NotFound, ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.services.moderation.publishing import publish_report, unpublish_report
from feedbackgis.services.photos.moderation import hide_photo, unhide_photo
from feedbackgis.services.reports.merging import merge_report
from feedbackgis.services.reports.reassignment import reassign_to_party, recategorise, relocate
from feedbackgis.services.reports.staff_replies import add_internal_note, reply_to_resident
from feedbackgis.services.reports.status import change_status_by_staff
from feedbackgis.services.staff.assignment import Refusal, assign_person
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.report_page import render_report_page, report_url
from feedbackgis.web.staff.session import current_staff_user, login_required

# Each form's error, in the page's language; the service's own (English) detail follows.
FIELD_ERRORS = {
    "reply": N_("Write the reply first (at most 5,000 characters)."),
    "note": N_("Write the note first (at most 5,000 characters)."),
    "status": N_("The report cannot move to that status from where it is now."),
    "person": N_("Choose a person of the party the report is with."),
    "party": N_("Choose another party that is in use."),
    "category": N_("Choose another category that is in use."),
    "location": N_("Give a point inside the municipality's service area."),
    "original": N_("Give the number of the report this one repeats: an open report that "
                   "was not merged itself."),
    "duplicate": N_("This report cannot be merged."),
    "publish": N_("This report cannot be published."),
    "public_text": N_("The public text cannot be empty (at most 5,000 characters)."),
    "address": N_("The place cannot be empty (at most 500 characters)."),
    "message": N_("The message may be at most 5,000 characters."),
    "reason": N_("The reason may be at most 5,000 characters."),
}


def _act(report_id: int, done: str, action: Callable[[], object]) -> Any:
    try:
        action()
    except ServiceError as exc:
        db.session.rollback()
        # The report itself out of reach: the error page. A form's own value wrong (another
        # report to merge into that does not exist): the form, with what was wrong.
        if exc.status_code in (403, 404) and exc.field is None:
            raise
        # "location.lon" and the like: the form's field is the part before the dot.
        field = (exc.field or "").split(".")[0]
        field = field if field in FIELD_ERRORS else "status"
        return render_report_page(report_id, status=exc.status_code, errors={
            field: f"{gettext(FIELD_ERRORS[field])} ({exc.message})"})
    return redirect(report_url(report_id, done), code=303)


def _int_field(name: str) -> int | None:
    """A number typed or chosen in the form (a leading # allowed); None when empty.
    Anything else is refused on the field, never read as "nobody"."""
    value = request.form.get(name, "").strip().lstrip("#")
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise InvalidInput(f"{name} must be a number.", field=name)
    return int(value)


def _required_int_field(name: str) -> int:
    value = _int_field(name)
    if value is None:
        raise InvalidInput(f"Give the {name}.", field=name)
    return value


def _time_zone() -> str:
    return current_app.config["TIMEZONE"]


@staff_blueprint.post("/reports/<id:report_id>/reply")
@login_required
def report_reply(report_id: int) -> Any:
    return _act(report_id, "reply", lambda: reply_to_resident(
        db.session, report_id, request.form.get("reply", ""), current_staff_user()))


@staff_blueprint.post("/reports/<id:report_id>/note")
@login_required
def report_note(report_id: int) -> Any:
    return _act(report_id, "note", lambda: add_internal_note(
        db.session, report_id, request.form.get("note", ""), current_staff_user()))


@staff_blueprint.post("/reports/<id:report_id>/status")
@login_required
def report_status(report_id: int) -> Any:
    message = request.form.get("message", "").strip()
    return _act(report_id, "status", lambda: change_status_by_staff(
        db.session, report_id, request.form.get("status", ""), staff_user=current_staff_user(),
        note=message or None, public=True, time_zone=_time_zone(),
        fix_check_days=current_app.config["FIX_CHECK_DAYS"]))


@staff_blueprint.post("/reports/<id:report_id>/person")
@login_required
def report_person(report_id: int) -> Any:
    def assign() -> None:
        result = assign_person(db.session, [report_id], _int_field("person"),
                               by=current_staff_user())
        refusal = result.refused.get(report_id)
        if refusal is Refusal.NOT_FOUND:
            raise NotFound(f"No report with id {report_id}.")
        if refusal is Refusal.FORBIDDEN:
            raise Forbidden("Your role may not do this.")
        if refusal is not None and refusal is not Refusal.UNCHANGED:
            raise InvalidInput(f"Not assigned: {refusal}.", field="person")
    return _act(report_id, "person", assign)


@staff_blueprint.post("/reports/<id:report_id>/party")
@login_required
def report_party(report_id: int) -> Any:
    return _act(report_id, "party", lambda: reassign_to_party(
        db.session, report_id, _required_int_field("party"), current_staff_user(),
        time_zone=_time_zone()))


@staff_blueprint.post("/reports/<id:report_id>/category")
@login_required
def report_category(report_id: int) -> Any:
    return _act(report_id, "category", lambda: recategorise(
        db.session, report_id, request.form.get("category", ""), current_staff_user(),
        time_zone=_time_zone()))


@staff_blueprint.post("/reports/<id:report_id>/location")
@login_required
def report_location(report_id: int) -> Any:
    def move() -> None:
        lon, lat = _float_field("lon"), _float_field("lat")
        relocate(db.session, report_id, lon, lat, current_staff_user(), time_zone=_time_zone())
    return _act(report_id, "location", move)


def _float_field(name: str) -> float:
    try:
        value = float(request.form.get(name, "").replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{name} must be a number.", field="location") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput(f"{name} must be a number.", field="location")
    return value


@staff_blueprint.post("/reports/<id:report_id>/merge")
@login_required
def report_merge(report_id: int) -> Any:
    return _act(report_id, "merge", lambda: merge_report(
        db.session, report_id, _required_int_field("original"), current_staff_user(),
        secret_key=current_app.config["SECRET_KEY"]))


@staff_blueprint.post("/reports/<id:report_id>/photos/<id:photo_id>/<any(hide, show):change>")
@login_required
def report_photo_visibility(report_id: int, photo_id: int, change: str) -> Any:
    chosen = hide_photo if change == "hide" else unhide_photo
    return _act(report_id, "photo", lambda: chosen(db.session, photo_id, current_staff_user(),
                                                    report_id=report_id))


@staff_blueprint.post("/reports/<id:report_id>/publish")
@login_required
def report_publish(report_id: int) -> Any:
    text, address = request.form.get("public_text"), request.form.get("address")
    return _act(report_id, "publish", lambda: publish_report(
        db.session, report_id, current_staff_user(), public_text=text, address=address))


@staff_blueprint.post("/reports/<id:report_id>/unpublish")
@login_required
def report_unpublish(report_id: int) -> Any:
    return _act(report_id, "unpublish", lambda: unpublish_report(
        db.session, report_id, current_staff_user(), request.form.get("reason", "")))

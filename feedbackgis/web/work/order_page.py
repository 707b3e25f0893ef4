"""A work order's page, by either door (web/work/doors.py): the report's facts, photos,
answers and the history a party may read, the reporter's contact on request where the
category shares it (logged), and the forms of the actions its status allows.

A link that opens no work order (wrong, old, or ended with a reassignment or closing) gets
a page that says so, 404, with nothing of any report.
"""
from __future__ import annotations

from typing import Any

from flask import g, render_template, request
from flask_babel import gettext

from feedbackgis.errors import NotFound
from feedbackgis.extensions import db
from feedbackgis.photo_responses import jpeg_response
from feedbackgis.schemas.answers import answers_view
from feedbackgis.services.work_orders.access import WorkOrderHolder
from feedbackgis.services.work_orders.page import (
    show_work_order_contact,
    visible_photo_key,
    work_order_page,
)
from feedbackgis.web.staff.inbox_texts import late_text
from feedbackgis.web.staff.report_page import event_label
from feedbackgis.web.staff.session import login_required
from feedbackgis.web.work import work_blueprint
from feedbackgis.web.work.doors import Door
from feedbackgis.web.work.texts import DONE

PHOTO_MAX_AGE = 300


def render_order(door: Door, holder: WorkOrderHolder, *, errors: dict[str, str] | None = None,
                 status: int = 200, contact: Any = None) -> Any:
    page = work_order_page(db.session, holder, door.report_id)
    done = request.args.get("done", "")
    return render_template(
        "work/order.html", page=page, report=page.report, door=door, nav_user=holder.user,
        answers=answers_view(page.report, g.language, with_free_text=True),
        errors=errors or {}, values=request.form, contact=contact,
        done=gettext(DONE[done]) if done in DONE else None, event_label=event_label,
        late_text=late_text,
    ), status


def link_invalid() -> Any:
    return render_template("work/link_invalid.html"), 404


def through(door: Door, show: Any) -> Any:
    """`show(holder)` for the door's holder; a link that opens nothing gets its own page
    (an account's NotFound and Forbidden go to the error pages)."""
    try:
        return show(door.holder())
    except NotFound:
        if door.by_link:
            db.session.rollback()
            return link_invalid()
        raise


def _page(door: Door) -> Any:
    return through(door, lambda holder: render_order(door, holder))


def _contact(door: Door) -> Any:
    def show(holder: WorkOrderHolder) -> Any:
        contact = show_work_order_contact(db.session, holder, door.report_id)
        return render_order(door, holder, contact=contact or False)
    return through(door, show)


def _photo(door: Door, photo_id: int) -> Any:
    def serve(holder: WorkOrderHolder) -> Any:
        key = visible_photo_key(db.session, holder, door.report_id, photo_id,
                                thumbnail=request.args.get("thumbnail") == "1")
        return jpeg_response(key, public=False, max_age=PHOTO_MAX_AGE)
    try:
        return serve(door.holder())
    except NotFound:
        db.session.rollback()
        raise  # a photo is an image: the plain 404, never a page in its place


@work_blueprint.get("/<id:report_id>")
@login_required
def order_page(report_id: int) -> Any:
    return _page(Door(report_id))


@work_blueprint.get("/link/<id:report_id>/<token>")
def link_page(report_id: int, token: str) -> Any:
    return _page(Door(report_id, token))


@work_blueprint.post("/<id:report_id>/contact")
@login_required
def order_contact(report_id: int) -> Any:
    """A form's post (CSRF), not a link: a prefetch must not log a viewing."""
    return _contact(Door(report_id))


@work_blueprint.post("/link/<id:report_id>/<token>/contact")
def link_contact(report_id: int, token: str) -> Any:
    return _contact(Door(report_id, token))


@work_blueprint.get("/<id:report_id>/photos/<id:photo_id>.jpg")
@login_required
def order_photo(report_id: int, photo_id: int) -> Any:
    return _photo(Door(report_id), photo_id)


@work_blueprint.get("/link/<id:report_id>/<token>/photos/<id:photo_id>.jpg")
def link_photo(report_id: int, token: str, photo_id: int) -> Any:
    return _photo(Door(report_id, token), photo_id)

"""The actions of a work order's page, by either door: each a form post (CSRF) answered
with a redirect (303), or with the page again saying what was wrong (422 for a form's
field, 409 for an action the status no longer allows), nothing stored.

Done and handed back end the work order for its holder: a link no longer opens it, so
those redirect to a page that says what happened (by a link) or to the list (signed in).
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, request, url_for
from flask_babel import gettext

from feedbackgis.domain.work_orders import WorkOrderAction
from feedbackgis.errors import ServiceError
from feedbackgis.extensions import db
from feedbackgis.services.photos import PhotoLimits, storage_from_config
from feedbackgis.services.work_orders.access import WorkOrderHolder
from feedbackgis.services.work_orders.actions import (
    accept_work_order,
    hand_back_work_order,
    mark_work_order_done,
    start_work_order,
)
from feedbackgis.web.staff.session import login_required
from feedbackgis.web.upload_limits import upload_limit
from feedbackgis.web.work import work_blueprint
from feedbackgis.web.work.doors import Door
from feedbackgis.web.work.order_page import render_order, through
from feedbackgis.web.work.texts import FIELD_ERRORS

ACTIONS = 'any(accept, start, done, "hand-back")'
PHOTO_FORM_OVERHEAD = 64 * 1024


def _uploaded_photo() -> bytes | None:
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return None
    limits = PhotoLimits.from_config(current_app.config)
    return upload.stream.read(limits.max_bytes + 1)


def _perform(action: WorkOrderAction, holder: WorkOrderHolder, report_id: int) -> None:
    session = db.session
    if action is WorkOrderAction.ACCEPT:
        accept_work_order(session, holder, report_id)
    elif action is WorkOrderAction.START:
        start_work_order(session, holder, report_id)
    elif action is WorkOrderAction.DONE:
        mark_work_order_done(session, storage_from_config(current_app.config), holder,
                             report_id, request.form.get("note"), _uploaded_photo(),
                             PhotoLimits.from_config(current_app.config),
                             fix_check_days=current_app.config["FIX_CHECK_DAYS"])
    else:
        hand_back_work_order(session, holder, report_id, request.form.get("reason"))


def _after(door: Door, action: WorkOrderAction) -> str:
    if action in (WorkOrderAction.ACCEPT, WorkOrderAction.START):
        return door.url("page", done=action.value)
    if door.by_link:
        return url_for("work.finished", done=action.value, lang=g.language)
    return url_for("work.orders", done=action.value, lang=g.language)


def _errors(exc: ServiceError) -> dict[str, str]:
    """Each of the form's fields that is wrong, with what to do, in the page's language."""
    fields = list(exc.fields or {}) or [exc.field]
    chosen = [field if field in FIELD_ERRORS else "status" for field in fields]
    return {field: gettext(FIELD_ERRORS[field]) for field in chosen}


def _photo_form_limit(config: Any) -> int:
    """The done form carries a photo: a body larger than the app's MAX_CONTENT_LENGTH
    (web/upload_limits.py raises it before the CSRF check reads the form)."""
    return PhotoLimits.from_config(config).max_bytes + PHOTO_FORM_OVERHEAD


def _act(door: Door, action_name: str) -> Any:
    action = WorkOrderAction(action_name)

    def act(holder: WorkOrderHolder) -> Any:
        try:
            _perform(action, holder, door.report_id)
        except ServiceError as exc:
            db.session.rollback()
            # The work order itself out of reach: the door's own answer (404).
            if exc.status_code in (403, 404) and exc.field is None:
                raise
            return render_order(door, holder, status=exc.status_code, errors=_errors(exc))
        return redirect(_after(door, action), code=303)

    return through(door, act)


@work_blueprint.post(f"/<id:report_id>/<{ACTIONS}:action>")
@login_required
@upload_limit(_photo_form_limit)
def order_action(report_id: int, action: str) -> Any:
    return _act(Door(report_id), action)


@work_blueprint.post(f"/link/<id:report_id>/<token>/<{ACTIONS}:action>")
@upload_limit(_photo_form_limit)
def link_action(report_id: int, token: str, action: str) -> Any:
    return _act(Door(report_id, token), action)

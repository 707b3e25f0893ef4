"""Deliveries to parties' own Open311 systems on the admin pages: those not sent (pending or
failed, with the attempts and the last error) and the latest sent, how each party's updates
were last fetched, and "send again" for a failed one or one left pending
(services/open311/deliveries.py: the same job, through the outbox)."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext

from feedbackgis.domain.permissions import Action
from feedbackgis.errors import ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.services.open311.deliveries import list_deliveries, send_again
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.forms import whole_number

STATE_NAMES = {"pending": N_("Waiting to be sent"), "sent": N_("Sent"),
               "failed": N_("Failed")}
SENT_AGAIN = N_("The report is being sent again.")
NOT_SENT_AGAIN = N_("That delivery was not sent again: only a failed one, or one left "
                    "waiting for a quarter of an hour, can be.")


def _page(status: int = 200, error: str | None = None) -> Any:
    done = gettext(SENT_AGAIN) if request.args.get("done") == "sent-again" else None
    return render_template("admin/open311_deliveries.html",
                           deliveries=list_deliveries(db.session), states=STATE_NAMES,
                           done=done, error=error), status


@admin_blueprint.get("/open311-deliveries")
@admin_required(Action.MANAGE_CATALOG)
def open311_deliveries() -> Any:
    return _page()


@admin_blueprint.post("/open311-deliveries/send-again")
@admin_required(Action.MANAGE_CATALOG)
def send_open311_delivery_again() -> Any:
    try:
        delivery_id = whole_number("delivery")
        if delivery_id is None:
            raise ServiceError("No delivery was chosen.", field="delivery")
        send_again(db.session, delivery_id, actor=admin())
    except ServiceError as exc:
        db.session.rollback()
        status = getattr(exc, "status_code", 422)
        return _page(status if status in (404, 409) else 422,
                     f"{gettext(NOT_SENT_AGAIN)} ({exc.message})")
    return redirect(url_for("admin.open311_deliveries", done="sent-again", lang=g.language),
                    303)

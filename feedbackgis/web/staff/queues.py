"""The staff's work queues: triage (reports without a point or a party) and moderation."""
from __future__ import annotations

from typing import Any

from flask import render_template

from feedbackgis.domain.permissions import Action
from feedbackgis.errors import Forbidden
from feedbackgis.extensions import db
from feedbackgis.services.moderation.publishing import moderation_queue
from feedbackgis.services.staff.access import user_may
from feedbackgis.services.staff.triage import triage_queue
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.highlight import highlighted
from feedbackgis.web.staff.session import current_staff_user, login_required


@staff_blueprint.get("/triage")
@login_required
def triage() -> Any:
    user = current_staff_user()
    if not user_may(user, Action.REASSIGN):
        raise Forbidden("Your role does not triage reports.")
    return render_template("staff/triage.html", reports=triage_queue(db.session, user))


@staff_blueprint.get("/moderation")
@login_required
def moderation() -> Any:
    user = current_staff_user()
    if not user_may(user, Action.MODERATE):
        raise Forbidden("Your role does not moderate reports.")
    waiting = [(report, highlighted(report.public_text, found.text),
                highlighted(report.address or "", found.address), found)
               for report, found in moderation_queue(db.session, user)]
    return render_template("staff/moderation.html", waiting=waiting)

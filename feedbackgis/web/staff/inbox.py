"""The staff inbox (/staff/): the reports the user's role may see, newest first."""
from __future__ import annotations

from typing import Any

from flask import render_template

from feedbackgis.extensions import db
from feedbackgis.services.staff.inbox import inbox_reports
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.session import current_staff_user, login_required


@staff_blueprint.get("/")
@login_required
def inbox() -> Any:
    reports = inbox_reports(db.session, current_staff_user())
    return render_template("staff/inbox.html", reports=reports)

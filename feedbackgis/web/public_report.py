"""The public page of a published report, linked from the map and the list: what anyone may
see (never who reported it), its public history, and a way to follow it by email instead of
reporting the same thing again."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from feedbackgis.errors import InvalidInput
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.rate_limits import follow_up_limit
from feedbackgis.schemas.reports import report_view
from feedbackgis.schemas.subscriptions import FollowerIn
from feedbackgis.services.reports.reads import get_public_report
from feedbackgis.services.subscriptions.followers import follow_report
from feedbackgis.web import web_blueprint

follower_in = FollowerIn()
EMAIL_ERROR = N_("Check the email address, for example name@example.fi.")


def _page(report_id: int, errors: dict[str, str] | None = None, status: int = 200) -> Any:
    report = get_public_report(db.session, report_id)  # NotFound: the plain 404 page
    page = render_template(
        "public_report.html", report=report_view(report, g.language),
        events=[e for e in report.events if e.is_public], errors=errors or {},
        values=request.form, follow_sent=request.args.get("follow") == "sent",
    )
    return page, status, {"Vary": "Accept-Language, Cookie"}


@web_blueprint.get("/reports/<id:report_id>")
def public_report(report_id: int) -> Any:
    return _page(report_id)


@web_blueprint.post("/reports/<id:report_id>/follow")
@follow_up_limit
def follow_public_report(report_id: int) -> Any:
    try:
        data = follower_in.load({"email": request.form.get("email", ""),
                                 "language": g.language})
        follow_report(db.session, report_id, data["email"], data["language"],
                      secret_key=current_app.config["SECRET_KEY"])
    except (ValidationError, InvalidInput):
        return _page(report_id, {"email": gettext(EMAIL_ERROR)}, 422)
    target = url_for("web.public_report", report_id=report_id, lang=g.language,
                     follow="sent", _anchor="follow")
    return redirect(target, 303)

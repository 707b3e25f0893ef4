"""The reporter's follow-up page, reached only through the capability link from the receipt."""
from __future__ import annotations

from typing import Any

from flask import g, render_template, request, url_for

from feedbackgis.errors import NotFound
from feedbackgis.extensions import db
from feedbackgis.schemas.reports import report_view
from feedbackgis.services.reports.reads import get_report_by_token
from feedbackgis.web import web_blueprint

# The token is a secret: keep it out of caches and out of Referer headers of outgoing links.
PRIVATE_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@web_blueprint.get("/follow/<token>")
def follow_up(token: str) -> Any:
    try:
        report = get_report_by_token(db.session, token)
    except NotFound:
        page = render_template("follow_up_invalid.html")
        return page, 404, PRIVATE_PAGE_HEADERS
    page = render_template(
        "follow_up.html", report=report_view(report, g.language), is_public=report.is_public,
        # Just sent from the form: say so, and show the page's own address to keep.
        sent=request.args.get("sent") == "1",
        page_url=url_for("web.follow_up", token=token, lang=g.language, _external=True),
    )
    return page, 200, PRIVATE_PAGE_HEADERS

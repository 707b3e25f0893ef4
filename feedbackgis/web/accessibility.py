"""The accessibility statement (saavutettavuusseloste), which Finnish public services must
publish: how the service meets WCAG 2.1 AA, what is known not to, and where to give feedback.
The municipality's contact and the supervising authority's address are settings."""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from feedbackgis.web import web_blueprint


@web_blueprint.get("/accessibility")
def accessibility_statement() -> Any:
    config = current_app.config
    page = render_template(
        "accessibility.html", feedback_email=config["ACCESSIBILITY_FEEDBACK_EMAIL"],
        authority_url=config["ACCESSIBILITY_AUTHORITY_URL"],
        statement_date=config["ACCESSIBILITY_STATEMENT_DATE"],
    )
    return page, 200, {"Vary": "Accept-Language, Cookie"}

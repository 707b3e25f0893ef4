"""The contractor's work orders (/work/), made for a phone: the list and map of its party's
open work orders (signed in), and one work order's page with its actions, signed in or
through the work order's own link (/work/link/<id>/<token>, no account needed).

Templates are under web/templates/work/; scripts under static/work/. Every page works
without JavaScript: the scripts add the map and the "nearest first" button.
"""
from typing import Any

from flask import Blueprint, g

from feedbackgis.i18n import request_language
from feedbackgis.url_converters import register_id_converter

work_blueprint = Blueprint("work", __name__, url_prefix="/work")
work_blueprint.record_once(register_id_converter)  # before the views below add their rules


@work_blueprint.before_request
def _pick_language() -> None:
    g.language = request_language()


@work_blueprint.after_request
def _private(response: Any) -> Any:
    # Personal data (a contact), and links that are capabilities: no cache keeps them, and
    # no Referer carries a link's token to another site. Same-origin, not no-referrer: over
    # HTTPS the CSRF check (WTF_CSRF_SSL_STRICT) refuses a form posted without a Referer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@work_blueprint.context_processor
def _work_context() -> dict[str, Any]:
    from feedbackgis.web.views import language_links

    g.language = g.get("language") or request_language()
    return {"lang": g.language, "language_links": language_links()}


# View modules register their routes on the blueprint.
from feedbackgis.web.work import finished, order_actions, order_page, orders  # noqa: E402, F401

__all__ = ["work_blueprint"]

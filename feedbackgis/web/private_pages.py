"""What every page behind a sign-in or a capability link shares (the staff, admin and work
blueprints): the page's language, no cache, a Referer kept on this site, and the language
switcher. One place, so a new such blueprint cannot forget one of them."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from feedbackgis.i18n import request_language


def make_private(blueprint: Blueprint) -> None:
    blueprint.before_request(_pick_language)
    blueprint.after_request(_private)
    blueprint.context_processor(page_context)


def _pick_language() -> None:
    g.language = request_language()


def _private(response: Any) -> Any:
    # Personal data and capability links: no browser or proxy cache keeps the page, and no
    # Referer carries its address to another site. Same-origin, not no-referrer: over HTTPS
    # the CSRF check (WTF_CSRF_SSL_STRICT) refuses a form posted without a Referer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def page_context() -> dict[str, Any]:
    from feedbackgis.web.views import language_links

    # Unset when an app-level check (CSRF) refused the request before before_request ran.
    g.language = g.get("language") or request_language()
    return {"lang": g.language, "language_links": language_links()}

"""The resident landing page: the public map of reports, the report form, the categories."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template, request, url_for

from feedbackgis.i18n import LANGUAGE_COOKIE, LANGUAGES, request_language
from feedbackgis.schemas.report_form import FORM_FIELD_OF
from feedbackgis.web import web_blueprint
from feedbackgis.web.report_form import FIELD_ERRORS, form_context

# Each language's name in that language: a switcher link must be readable by those who need it.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
LANGUAGE_COOKIE_DAYS = 365


@web_blueprint.before_request
def _pick_language() -> None:
    g.language = request_language()


@web_blueprint.after_request
def _remember_language(response: Any) -> Any:
    """A language chosen with the switcher (?lang=) is kept for the next visit."""
    chosen = request.args.get("lang", "").lower()
    if chosen in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_DAYS * 86400,
                            samesite="Lax", httponly=True,
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


@web_blueprint.context_processor
def _page_context() -> dict[str, Any]:
    # Texts come from Flask-Babel (its locale selector reads g.language), not from here.
    # g.language is unset when an app-level check (CSRF) refused the request before the
    # blueprint's own before_request ran; its error page still speaks the right language.
    g.language = g.get("language") or request_language()
    return {"lang": g.language, "language_links": language_links()}


def language_links() -> list[dict[str, Any]]:
    """The switcher: the same page in each language, the current one marked."""
    endpoint = request.endpoint or "web.landing"
    args = {**(request.view_args or {})}
    return [
        {"code": code, "name": LANGUAGE_NAMES[code], "current": code == g.language,
         "url": url_for(endpoint, **args, lang=code)}
        for code in LANGUAGES
    ]


def _map_settings() -> dict[str, Any]:
    config = current_app.config
    return {
        "area_url": url_for("api.service_area"),
        # The public map's reads (api/public_map.py): the map's points and cells, the list.
        "map_reports_url": "/api/v1/map/reports",
        "list_url": "/api/v1/reports",
        "categories_url": url_for("api.list_categories"),
        # Templates with {id}: ids are numbers, so the placeholder cannot clash.
        "report_api_url": url_for("api.get_report", report_id=1).replace("/1", "/{id}"),
        "report_page_url": url_for("web.public_report", report_id=1).replace("/1", "/{id}"),
        "followers_url": url_for("api.create_follower", report_id=1).replace("/1/", "/{id}/"),
        "nearby_url": url_for("api.nearby_reports"),
        "submit_url": url_for("api.create_report"),
        "photos_url": url_for("api.upload_photo_file"),
        "service_worker_url": url_for("web.service_worker"),
        "time_zone": config["TIMEZONE"],
        "tile_url": config["MAP_TILE_URL"],
        "tile_attribution": config["MAP_TILE_ATTRIBUTION"],
        "center_lon": config["MAP_DEFAULT_LON"],
        "center_lat": config["MAP_DEFAULT_LAT"],
        "zoom": config["MAP_DEFAULT_ZOOM"],
    }


@web_blueprint.get("/")
def landing() -> Any:
    """The public map, and the report form under it (the same form as /report's)."""
    page = render_template(
        "landing.html", map_settings=_map_settings(), pin_controls=True,
        field_errors={**FIELD_ERRORS}, form_field_of=FORM_FIELD_OF,
        **form_context(request.args, {}),
    )
    # Without ?lang= the page depends on the browser's language: caches must know. The form
    # carries a CSRF token and an idempotency key: no shared cache may keep the page.
    return page, 200, {"Vary": "Accept-Language, Cookie", "Cache-Control": "no-store"}

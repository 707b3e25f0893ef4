"""The reporter's follow-up page, reached only through the capability link from the receipt:
the report as sent, its status and history with the public replies, and two actions (add
information, withdraw), each a form with a CSRF token that answers with a redirect (303)."""
from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext

from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.domain.tokens import hash_token
from feedbackgis.errors import Conflict, InvalidInput, NotFound, TooLarge, UnsupportedMedia
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.models import PhotoKind, Report
from feedbackgis.photo_responses import jpeg_response
from feedbackgis.rate_limits import follow_up_limit
from feedbackgis.schemas.reports import report_view
from feedbackgis.services.photos import PhotoLimits, storage_from_config
from feedbackgis.services.photos.serving import reporter_photo_key
from feedbackgis.services.reports.reads import get_report_by_token
from feedbackgis.services.reports.reporter_actions import (
    REPORTER,
    add_information,
    add_photo,
    checked_form_key,
    withdraw_report,
)
from feedbackgis.web import web_blueprint
from feedbackgis.web.upload_limits import upload_limit

# The token is a secret: keep it out of caches and out of Referer headers of outgoing links.
# The address holds the capability token: no cache keeps the page, and no Referer carries
# the token to another site. Same-origin, not no-referrer: over HTTPS the CSRF check
# (WTF_CSRF_SSL_STRICT) refuses a form posted without a Referer of our own.
PRIVATE_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
PRIVATE_MAX_AGE = 300
PHOTO_FORM_OVERHEAD = 64 * 1024
DONE = {"information": N_("Thank you, your information was added to the report."),
        "photo": N_("Thank you, your photo was added to the report."),
        "withdrawn": N_("The report was withdrawn. Thank you for letting us know.")}
ERRORS = {"information": N_("Write what you want to add (at most 5,000 characters)."),
          "photo": N_("Choose a photo: JPEG, PNG, WebP or HEIC, at most 3 added later."),
          "confirm": N_("Tick the box to confirm that you want to withdraw the report."),
          "closed": N_("The report is already closed.")}


def _page(token: str, errors: dict[str, str] | None = None, status: int = 200) -> Any:
    try:
        report = get_report_by_token(db.session, token)
    except NotFound:
        return render_template("follow_up_invalid.html"), 404, PRIVATE_PAGE_HEADERS
    done = request.args.get("done", "")
    page = render_template(
        # The reporter reads their own words, not the moderator's edit for the public.
        "follow_up.html", report=report_view(report, g.language) | {
            "description": report.description}, is_public=report.is_public,
        # The reporter's own additions are theirs to see here, and never public.
        events=[e for e in report.events
                if e.is_public or (e.actor == REPORTER and e.staff_user_id is None)],
        open=report.status in OPEN_STATUSES,
        # Just sent from the form: say so, and show the page's own address to keep.
        sent=request.args.get("sent") == "1", token=token,
        done=gettext(DONE[done]) if done in DONE else None, errors=errors or {},
        values=request.form, photos=_reporter_photos(report, token),
        page_url=url_for("web.follow_up", token=token, lang=g.language, _external=True),
        # Each form's own key: sent twice (a phone that resends), it adds once.
        form_keys=_form_keys(),
    )
    return page, status, PRIVATE_PAGE_HEADERS


def _form_keys() -> dict[str, str]:
    """A new key for each form of the page; the one sent back when its form is shown again."""
    keys = {form: secrets.token_urlsafe(18) for form in ("information", "photo")}
    sent = request.form.get("form_key")
    if sent and request.endpoint in FORM_OF_ENDPOINT:
        keys[FORM_OF_ENDPOINT[request.endpoint]] = sent
    return keys


FORM_OF_ENDPOINT = {"web.follow_up_add_information": "information",
                    "web.follow_up_add_photo": "photo"}


def _reporter_photos(report: Report, token: str) -> list[dict[str, Any]]:
    """Every photo of the reporter's own report, shown through this page's own links (the
    public photo links serve only published, not hidden photos)."""
    return [{"url": url_for("web.follow_up_photo", token=token, photo_id=photo.id),
             "thumbnail_url": url_for("web.follow_up_photo", token=token, photo_id=photo.id,
                                      thumbnail=1),
             "width": photo.width, "height": photo.height,
             # The contractor's photo of the work done (services/work_orders/actions.py).
             "after": photo.kind is PhotoKind.AFTER}
            for photo in report.photos]


def _done(token: str, what: str) -> Any:
    response = redirect(url_for("web.follow_up", token=token, lang=g.language, done=what), 303)
    response.headers.update(PRIVATE_PAGE_HEADERS)
    return response


@web_blueprint.get("/follow/<token>")
def follow_up(token: str) -> Any:
    return _page(token)


@web_blueprint.post("/follow/<token>/information")
@follow_up_limit
def follow_up_add_information(token: str) -> Any:
    try:
        add_information(db.session, token, request.form.get("information", ""),
                        form_key=checked_form_key(request.form.get("form_key")))
    except InvalidInput:
        return _page(token, {"information": gettext(ERRORS["information"])}, 422)
    except NotFound:
        return _page(token)
    return _done(token, "information")


@web_blueprint.get("/follow/<token>/photos/<id:photo_id>.jpg")
def follow_up_photo(token: str, photo_id: int) -> Any:
    key = reporter_photo_key(db.session, hash_token(token), photo_id,
                             thumbnail=request.args.get("thumbnail") == "1")
    return jpeg_response(key, public=False, max_age=PRIVATE_MAX_AGE)


def photo_form_limit(config: Any) -> int:
    """A form carrying one photo (the follow-up's, the "is it fixed?" answer's)."""
    return PhotoLimits.from_config(config).max_bytes + PHOTO_FORM_OVERHEAD


@web_blueprint.post("/follow/<token>/photo")
@follow_up_limit
@upload_limit(photo_form_limit)
def follow_up_add_photo(token: str) -> Any:
    limits = PhotoLimits.from_config(current_app.config)
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return _page(token, {"photo": gettext(ERRORS["photo"])}, 422)
    try:
        add_photo(db.session, storage_from_config(current_app.config), token,
                  upload.stream.read(limits.max_bytes + 1), limits,
                  form_key=checked_form_key(request.form.get("form_key")))
    except (InvalidInput, TooLarge, UnsupportedMedia, Conflict):
        return _page(token, {"photo": gettext(ERRORS["photo"])}, 422)
    except NotFound:
        return _page(token)
    return _done(token, "photo")


@web_blueprint.post("/follow/<token>/withdraw")
@follow_up_limit
def follow_up_withdraw(token: str) -> Any:
    if request.form.get("confirm") != "yes":
        return _page(token, {"confirm": gettext(ERRORS["confirm"])}, 422)
    try:
        withdraw_report(db.session, token)
    except Conflict:
        return _page(token, {"confirm": gettext(ERRORS["closed"])}, 409)
    except NotFound:
        return _page(token)
    return _done(token, "withdrawn")

"""A zone file uploaded on the admin page: kept, previewed (what would be imported, replaced,
refused and repaired, the CRS assumed, and the routing what-if), then imported or discarded.

The file is kept between the preview and the import by services/zones/kept_uploads.py (a
folder under MEDIA_ROOT named by a random token, which the address and the admin's session
hold; deleted after the import, when discarded, or after an hour). The preview and the
import read it with the same options, through the same services as the CLI; the import
button imports what the preview showed, or nothing (expect_zones).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

from feedbackgis.domain.permissions import Action
from feedbackgis.errors import Conflict, InvalidInput, NotFound, ServiceError, TooLarge
from feedbackgis.extensions import csrf, db
from feedbackgis.i18n import N_
from feedbackgis.services.zones.import_source import ImportRefused
from feedbackgis.services.zones.kept_uploads import (
    KeptUpload,
    discard_upload,
    find_upload,
    keep_upload,
    sweep_uploads,
)
from feedbackgis.services.zones.upload_preview import preview_zone_import
from feedbackgis.services.zones.zone_import import ZoneImportOptions, import_zones
from feedbackgis.web.admin import admin_blueprint
from feedbackgis.web.admin.access import admin, admin_required
from feedbackgis.web.admin.forms import refusal
from feedbackgis.web.admin.zone_form import (
    ADD,
    FIELD_ERRORS,
    NO_FILE,
    REPLACE,
    TOO_LARGE,
    form_of,
    upload_options,
)
from feedbackgis.web.admin.zones import remember_result, render_zones_page

UPLOADS_KEY = "admin_zone_uploads"  # this session's kept uploads, oldest first
KEPT_PER_SESSION = 5
FORM_OVERHEAD = 64 * 1024  # the form's other fields and the multipart framing
GONE = N_("This upload is no longer kept: it was imported or discarded, or it is older than "
          "an hour. Upload the file again.")
CHANGED = N_("What the file would do has changed since the preview (a party or category "
             "changed meanwhile), so nothing was imported. Check the preview below again.")


@admin_blueprint.post("/zones/upload")
@csrf.exempt  # checked below, once the body may be as large as a zone file
@admin_required(Action.MANAGE_CATALOG)
def upload_zone_file() -> Any:
    limit = current_app.config["ZONE_UPLOAD_MAX_BYTES"]
    request.max_content_length = limit + FORM_OVERHEAD
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        return _too_large({"mode": ADD}, limit)
    csrf.protect()
    values = form_of(request.form)
    if upload is None or not upload.filename:
        return render_zones_page(values, {"file": gettext(NO_FILE)}, 422)
    media_root = current_app.config["MEDIA_ROOT"]
    sweep_uploads(media_root)
    try:
        options = _options(values)
        kept = keep_upload(media_root, upload.stream, upload.filename, owner_id=admin().id,
                           form=values, max_bytes=limit)
    except TooLarge:
        return _too_large(values, limit)
    except InvalidInput as exc:
        return render_zones_page(values, *refusal(exc, FIELD_ERRORS))
    _remember(kept)
    return _preview_page(kept, options)


@admin_blueprint.get("/zones/uploads/<token>")
@admin_required(Action.MANAGE_CATALOG)
def zone_upload(token: str) -> Any:
    """The preview again, in the mode asked for (?mode=replace or add)."""
    kept = _kept(token)
    if kept is None:
        return render_zones_page({"mode": ADD}, {"_form": gettext(GONE)}, 404)
    mode = request.args.get("mode")
    return _preview_page(kept, _options(kept.form, mode if mode in (ADD, REPLACE) else None))


@admin_blueprint.post("/zones/uploads/<token>/import")
@admin_required(Action.MANAGE_CATALOG)
def import_zone_upload(token: str) -> Any:
    kept = _kept(token)
    if kept is None:
        return render_zones_page({"mode": ADD}, {"_form": gettext(GONE)}, 404)
    mode = request.form.get("mode")
    options = _options(kept.form, mode if mode in (ADD, REPLACE) else None)
    expected = request.form.get("expect_zones", "")
    # The refused features were listed on the preview whose button this is: left out.
    counted = int(expected) if re.fullmatch(r"[0-9]{1,9}", expected) else -1
    options = dataclasses.replace(options, skip_invalid=True, expect_zones=counted)
    try:
        summary = import_zones(db.session, kept.path, options, actor=admin())
    except Conflict:
        return _preview_page(kept, options, status=409, notice=gettext(CHANGED))
    except ServiceError as exc:
        return _refused(kept, exc)
    _forget(kept)
    remember_result(kept.file_name, summary.imported, sum(summary.replaced.values()))
    return redirect(url_for("admin.zones", lang=g.language), 303)


@admin_blueprint.post("/zones/uploads/<token>/discard")
@admin_required(Action.MANAGE_CATALOG)
def discard_zone_upload(token: str) -> Any:
    kept = _kept(token)
    if kept is not None:
        _forget(kept)
    return redirect(url_for("admin.zones", lang=g.language), 303)


def _options(values: Mapping[str, str], mode: str | None = None) -> ZoneImportOptions:
    config = current_app.config
    return upload_options(values, time_zone=config["TIMEZONE"],
                          densify_segment=config["ZONE_DENSIFY_SEGMENT"], mode=mode)


def _preview_page(kept: KeptUpload, options: ZoneImportOptions, *, status: int = 200,
                  notice: str | None = None) -> Any:
    try:
        preview = preview_zone_import(
            db.session, kept.path, options, language=g.language,
            what_if_reports=current_app.config["ZONE_WHAT_IF_REPORTS"])
    except ServiceError as exc:
        return _refused(kept, exc)
    db.session.rollback()  # the preview's reads end here; it wrote nothing
    mode = REPLACE if options.replace else ADD
    return render_template(
        "admin/zone_preview.html", preview=preview, kept=kept, mode=mode, notice=notice,
        other_mode=ADD if mode == REPLACE else REPLACE,
    ), status


def _refused(kept: KeptUpload, exc: ServiceError) -> Any:
    """The upload form again with why the file cannot be imported; the upload is gone."""
    _forget(kept)
    values = form_of(kept.form)
    if isinstance(exc, ImportRefused):
        db.session.rollback()
        errors = {"_form": gettext("Nothing in this file can be imported. The reasons, "
                                   "feature by feature:")}
        return render_zones_page(values, errors, 422, problems=exc.problems)
    shown = type(exc)(kept.shown(exc.message), field=exc.field)
    return render_zones_page(values, *refusal(shown, FIELD_ERRORS))


def _too_large(values: Mapping[str, str], limit: int) -> Any:
    message = gettext(TOO_LARGE, megabytes=limit // 1_000_000)
    return render_zones_page(values, {"file": message}, 413)


def _kept(token: str) -> KeptUpload | None:
    """This session's kept upload of `token`, or None when it is not (or no longer) kept."""
    if token not in session.get(UPLOADS_KEY, []):
        return None
    try:
        return find_upload(current_app.config["MEDIA_ROOT"], token, owner_id=admin().id)
    except NotFound:
        return None


def _remember(kept: KeptUpload) -> None:
    tokens = [t for t in session.get(UPLOADS_KEY, []) if isinstance(t, str)] + [kept.token]
    for old in tokens[:-KEPT_PER_SESSION]:
        _discard_token(old)
    session[UPLOADS_KEY] = tokens[-KEPT_PER_SESSION:]


def _forget(kept: KeptUpload) -> None:
    discard_upload(kept)
    session[UPLOADS_KEY] = [t for t in session.get(UPLOADS_KEY, []) if t != kept.token]


def _discard_token(token: str) -> None:
    with suppress(NotFound):
        discard_upload(find_upload(current_app.config["MEDIA_ROOT"], token,
                                   owner_id=admin().id))

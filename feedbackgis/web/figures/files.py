"""A prepared file's page (/staff/files/<id>): its state and progress (a script polls the
.json to update them; without it, a reload link), then the download or the error. Only
its requester sees a file: anyone else's is 404, as if it did not exist."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, jsonify, redirect, render_template, send_file, url_for
from flask_babel import format_number, gettext, ngettext

from feedbackgis.errors import NotFound
from feedbackgis.extensions import db
from feedbackgis.i18n import N_
from feedbackgis.models import FileKind, FileState, PreparedFile
from feedbackgis.services.analytics.prepared_files import (
    MIME_TYPES,
    file_name,
    file_of,
    stored_path,
)
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.session import current_staff_user, login_required

STATE_NAMES = {FileState.QUEUED: N_("Waiting to be made"), FileState.RUNNING: N_("Being made"),
               FileState.DONE: N_("Ready"), FileState.FAILED: N_("Failed")}
KIND_NAMES = {FileKind.CSV: "CSV", FileKind.XLSX: "XLSX", FileKind.GEOJSON: "GeoJSON",
              FileKind.GPKG: "GeoPackage", FileKind.HEATMAP: N_("Heatmap")}


def _status(prepared: PreparedFile) -> dict[str, Any]:
    """What the page shows of the file's progress, and the script reads from the .json."""
    done = prepared.state is FileState.DONE
    if prepared.rows_total is None or done or prepared.state is FileState.FAILED:
        progress_text = gettext("%(percent)s%% done", percent=prepared.progress)
    else:
        progress_text = ngettext("%(done)s of %(num)s report written",
                                 "%(done)s of %(num)s reports written",
                                 prepared.rows_total, done=format_number(prepared.rows_done))
    return {"state": prepared.state.value, "state_text": gettext(STATE_NAMES[prepared.state]),
            "percent": prepared.progress, "progress_text": progress_text,
            "finished": done or prepared.state is FileState.FAILED,
            "download_url": url_for("staff.prepared_file_download", file_id=prepared.id)
            if done else None}


@staff_blueprint.get("/files/<int:file_id>")
@login_required
def prepared_file(file_id: int) -> Any:
    prepared = file_of(db.session, current_staff_user(), file_id)
    kind = KIND_NAMES[prepared.kind]
    return render_template(
        "figures/prepared_file.html", prepared=prepared, status=_status(prepared),
        kind_name=gettext(kind) if prepared.kind is FileKind.HEATMAP else kind,
        name=file_name(prepared))


@staff_blueprint.get("/files/<int:file_id>.json")
@login_required
def prepared_file_status(file_id: int) -> Any:
    prepared = file_of(db.session, current_staff_user(), file_id)
    response = jsonify(_status(prepared))
    response.headers["Cache-Control"] = "no-store"
    return response


@staff_blueprint.get("/files/<int:file_id>/download")
@login_required
def prepared_file_download(file_id: int) -> Any:
    prepared = file_of(db.session, current_staff_user(), file_id)
    if prepared.state is not FileState.DONE:
        raise NotFound("The file is not ready.")
    if (prepared.kind is FileKind.HEATMAP
            and "staff.heatmap_file" in current_app.view_functions):
        return redirect(url_for("staff.heatmap_file", file_id=prepared.id))
    path = stored_path(Path(current_app.config["EXPORT_FOLDER"]), prepared)
    if path is None or not path.is_file():
        raise NotFound("The file is no longer kept.")
    return send_file(path, mimetype=MIME_TYPES[prepared.kind], as_attachment=True,
                     download_name=file_name(prepared), max_age=0)

"""The exports form's own choices (the filters are schemas/figures.py's): the file's format,
the coordinates' CRS and whether the reporters' contacts are in it. Refused with the field's
name (422), never guessed."""
from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

from feedbackgis.models import FileKind
from feedbackgis.schemas.figures import NO_LISTS
from feedbackgis.schemas.public_map import QueryInteger
from feedbackgis.schemas.staff_inbox import QueryBoolean, form_values

EXPORT_FORMATS = (FileKind.CSV, FileKind.XLSX, FileKind.GEOJSON, FileKind.GPKG)
EXPORT_CRS = (4326, 3067)


class ExportFormIn(Schema):
    class Meta:
        unknown = EXCLUDE  # the filters, the CSRF token and the page's language

    format = fields.String(required=True,
                           validate=validate.OneOf([kind.value for kind in EXPORT_FORMATS]))
    crs = QueryInteger(load_default=4326, validate=validate.OneOf(EXPORT_CRS))
    contact = QueryBoolean(load_default=False)


def load_export_form(form: Any) -> tuple[FileKind, int, bool]:
    """(format, crs, with_contact) of a posted exports form (a MultiDict)."""
    data = ExportFormIn().load(form_values(form, NO_LISTS))
    return FileKind(data["format"]), data["crs"], data["contact"]

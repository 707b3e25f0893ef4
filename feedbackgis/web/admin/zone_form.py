"""The zone upload form: its fields read into the import's options, and its words.

The fields are the options of `feedbackgis zones import` (the hints name them, and the
import's own messages do too); the values are kept with the upload, so its preview and its
import read the file the same way.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from feedbackgis.errors import InvalidInput
from feedbackgis.i18n import N_
from feedbackgis.services.zones.zone_import import ZoneImportOptions
from feedbackgis.services.zones.zone_import_plan import validity_window

ADD, REPLACE = "add", "replace"
TEXT_FIELDS = ("party", "party_field", "categories", "categories_field", "priority_field",
               "name_field", "srid", "layer")
FIELDS = (*TEXT_FIELDS, "priority", "valid_from", "valid_to", "mode")
TEXT_MAX_LENGTH = 200
PRIORITY = re.compile(r"-?[0-9]{1,9}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

FIELD_NAME_RULE = N_("Give the name of a field the file has (the fields are listed after "
                     "this), or leave it empty.")
DATE_RULE = N_("Give the day as YYYY-MM-DD; the first day before the last.")
FIELD_ERRORS = {
    "file": N_("Choose a zone file: GeoJSON, GeoPackage, or a zip of a Shapefile (with its "
               ".shx, .dbf and .prj) or of a GeoPackage. This file cannot be imported."),
    "srid": N_("Give the file's coordinate reference system, e.g. 3067 for ETRS-TM35FIN. "
               "It is needed when the file declares none."),
    "party": N_("Choose the party of the zones, or give the field naming each zone's party, "
                "not both."),
    "party_field": FIELD_NAME_RULE,
    "categories": N_("Give codes of existing categories, separated by commas, or leave it "
                     "empty for every category."),
    "categories_field": FIELD_NAME_RULE,
    "priority": N_("Give the priority as a whole number, or leave it empty."),
    "priority_field": FIELD_NAME_RULE,
    "name_field": FIELD_NAME_RULE,
    "valid_from": DATE_RULE,
    "valid_to": DATE_RULE,
    "layer": N_("Give a layer the file has (or a file inside the zip), or leave it empty."),
    "mode": N_("Choose whether the zones are added or replace the party's zones."),
}
TOO_LARGE = N_("The file is too large: at most %(megabytes)s MB. Leave out what is not "
               "zones, or simplify the polygons.")
NO_FILE = N_("Choose the zone file to upload.")


def form_of(values: Mapping[str, str]) -> dict[str, str]:
    """The form's own fields of `values` (a request's form, or an upload's kept copy)."""
    return {name: str(values.get(name, "")).strip() for name in FIELDS}


def upload_options(values: Mapping[str, str], *, time_zone: str, densify_segment: float,
                   mode: str | None = None) -> ZoneImportOptions:
    """The import's options from the form; a value that cannot be read is InvalidInput on
    its field. `mode` overrides the form's choice (the preview's other button)."""
    form = form_of(values)
    for name in FIELDS:
        if len(form[name]) > TEXT_MAX_LENGTH or "\x00" in form[name]:
            raise InvalidInput(f"{name}: at most {TEXT_MAX_LENGTH} characters", field=name)
    mode = mode or form["mode"] or ADD
    if mode not in (ADD, REPLACE):
        raise InvalidInput(f"No mode {mode!r}", field="mode")
    start, end = validity_window(_day(form, "valid_from"), _day(form, "valid_to"), time_zone)
    texts: dict[str, Any] = {name: form[name] or None for name in TEXT_FIELDS}
    return ZoneImportOptions(**texts, priority=_priority(form["priority"]),
                             valid_from=start, valid_to=end, replace=mode == REPLACE,
                             densify_segment=densify_segment)


def _priority(value: str) -> int | None:
    if not value:
        return None
    if not PRIORITY.fullmatch(value):
        raise InvalidInput(f"Priority {value!r} is not a whole number", field="priority")
    return int(value)


def _day(form: Mapping[str, str], name: str) -> date | None:
    value = form[name]
    if not value:
        return None
    try:
        if not DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a day (YYYY-MM-DD)", field=name) from None

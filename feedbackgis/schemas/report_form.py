"""The report form of the pages, as a submission of the API: one set of rules for both.

The form's fields are flat (place, lon, lat, name, email ...); they are turned into the
API's body and loaded with ReportIn, so a report from the form and one from the API are
checked alike. Errors come back under the form's own field names.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from feedbackgis.schemas.reports import ReportIn

CONTACT_FIELDS = ("name", "email", "phone")

# ReportIn's field paths -> the form's field names, for errors shown next to their field.
FORM_FIELD_OF = {
    "category": "category", "description": "description", "address": "place",
    "location": "place", "location.lon": "place", "location.lat": "place",
    "contact.name": "name", "contact.email": "email", "contact.phone": "phone",
    "contact.consent": "consent", "language": "category", "photos": "photos",
}


def form_field(path: str) -> str:
    """The form field an API field path belongs to (answers.<code> -> answer-<code>)."""
    if path.startswith("answers."):
        return "answer-" + path.split(".", 1)[1]
    return FORM_FIELD_OF.get(path, "_form")


def _point(form: Mapping[str, str]) -> dict[str, float] | None:
    """The pin the page's script put in the hidden fields, if both are real numbers."""
    try:
        lon, lat = float(form.get("lon", "")), float(form.get("lat", ""))
    except ValueError:
        return None
    return {"lon": lon, "lat": lat} if math.isfinite(lon) and math.isfinite(lat) else None


def api_body(form: Mapping[str, str], language: str) -> dict[str, Any]:
    """The form as the API's submission body (empty optional fields left out)."""
    body: dict[str, Any] = {"category": form.get("category", ""),
                            "description": form.get("description", ""), "language": language}
    point = _point(form)
    if point is not None:
        body["location"] = point
    if form.get("place", "").strip():
        body["address"] = form["place"]
    contact = {name: form[name].strip() for name in CONTACT_FIELDS if form.get(name, "").strip()}
    if contact:
        body["contact"] = {**contact, "consent": form.get("consent") == "yes"}
    return body


report_in = ReportIn()

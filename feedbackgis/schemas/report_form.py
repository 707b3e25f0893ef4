"""The report form of the pages, as a submission of the API: one set of rules for both.

The form's fields are flat (place, lon, lat, name, email ...); they are turned into the
API's body and loaded with ReportIn, so a report from the form and one from the API are
checked alike. Errors come back under the form's own field names.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from feedbackgis.domain.questions import QuestionKind, QuestionRule
from feedbackgis.schemas.reports import ReportIn

CONTACT_FIELDS = ("name", "email", "phone")

# ReportIn's field paths -> the form's field names, for errors shown next to their field.
FORM_FIELD_OF = {
    "category": "category", "description": "description", "address": "place",
    "location": "place", "location.lon": "place", "location.lat": "place",
    "contact.name": "name", "contact.email": "email", "contact.phone": "phone",
    "contact.consent": "consent", "language": "category", "photos": "photos",
}


def answer_field(category: str, code: str) -> str:
    """The form field of a question: categories may share question codes, so both count."""
    return f"answer-{category}-{code}"


def form_field(path: str, category: str = "") -> str:
    """The form field an API field path belongs to (answers.<code> -> answer-<cat>-<code>)."""
    if path.startswith("answers."):
        return answer_field(category, path.split(".", 1)[1])
    return FORM_FIELD_OF.get(path, "_form")


def _answer(kind: QuestionKind, raw: str) -> Any:
    """A form value as the API would carry it; a wrong one is passed on for the service to
    refuse (a number field holding "twelve" stays a string)."""
    if kind is QuestionKind.YESNO:
        return {"yes": True, "no": False}.get(raw, raw)
    if kind is QuestionKind.NUMBER:
        for parse in (int, float):
            try:
                return parse(raw.replace(",", "."))  # a decimal comma, as Finns write
            except ValueError:
                continue
    return raw


def answers_of(form: Mapping[str, str], category: str,
               questions: Iterable[QuestionRule]) -> dict[str, Any]:
    """The answers given to the chosen category's questions (blank ones left out)."""
    answers = {}
    for question in questions:
        raw = form.get(answer_field(category, question.code), "").strip()
        if raw:
            answers[question.code] = _answer(QuestionKind(question.kind), raw)
    return answers


def _point(form: Mapping[str, str]) -> dict[str, float] | None:
    """The pin the page's script put in the hidden fields, if both are real numbers."""
    try:
        lon, lat = float(form.get("lon", "")), float(form.get("lat", ""))
    except ValueError:
        return None
    return {"lon": lon, "lat": lat} if math.isfinite(lon) and math.isfinite(lat) else None


def api_body(form: Mapping[str, str], language: str,
             questions: Iterable[QuestionRule] = ()) -> dict[str, Any]:
    """The form as the API's submission body (empty optional fields left out); `questions`
    are those of the chosen category."""
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
    answers = answers_of(form, body["category"], questions)
    if answers:
        body["answers"] = answers
    return body


report_in = ReportIn()

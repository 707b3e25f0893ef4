"""Reports in (a resident's submission) and out (the public view, the submission receipt)."""
from __future__ import annotations

from typing import Any

from geoalchemy2.shape import to_shape
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from feedbackgis.domain.limits import (
    ADDRESS_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    REPORT_PHOTOS_MAX,
)
from feedbackgis.i18n import LANGUAGES
from feedbackgis.models import Report
from feedbackgis.schemas.answers import AnswerOut, Answers, answers_view
from feedbackgis.schemas.fields import Location, StrictBoolean
from feedbackgis.schemas.photos import PublicPhotoOut, public_photos_view
from feedbackgis.services.reports.submission import Contact, NewReport

_not_blank = validate.Regexp(r"\S", error="Must not be empty.")
UPLOAD_TOKEN_MAX_LENGTH = 100  # tokens are 43 characters; room for a longer kind later


class ContactIn(Schema):
    name = fields.String(validate=validate.Length(max=NAME_MAX_LENGTH), allow_none=True)
    email = fields.Email(validate=validate.Length(max=320), allow_none=True)
    phone = fields.String(
        validate=[
            validate.Length(max=PHONE_MAX_LENGTH),
            validate.Regexp(r"^\+?[0-9 ()-]{5,}$", error="Not a valid phone number."),
        ],
        allow_none=True,
    )
    consent = StrictBoolean(load_default=False)

    @post_load
    def _to_contact(self, data: dict[str, Any], **_: Any) -> Contact:
        return Contact(**data)


# Fields about how a report travelled, not what it says: a resend may add them, and it is
# still the same request for its Idempotency-Key.
DELIVERY_FIELDS = ("sent_offline",)


def without_delivery_fields(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name not in DELIVERY_FIELDS}


class ReportIn(Schema):
    category = fields.String(required=True, validate=_not_blank)
    location = Location(
        metadata={"description": '{"lon", "lat"} in degrees, or a GeoJSON Point'}
    )
    address = fields.String(validate=validate.Length(max=ADDRESS_MAX_LENGTH), allow_none=True)
    description = fields.String(
        required=True,
        validate=[
            validate.Length(max=DESCRIPTION_MAX_LENGTH,
                            error=f"Must be at most {DESCRIPTION_MAX_LENGTH} characters."),
            _not_blank,
        ],
    )
    language = fields.String(load_default="fi", validate=validate.OneOf(LANGUAGES))
    contact = fields.Nested(ContactIn, allow_none=True)
    photos = fields.List(
        fields.String(validate=validate.Length(min=1, max=UPLOAD_TOKEN_MAX_LENGTH)),
        load_default=list, validate=validate.Length(max=REPORT_PHOTOS_MAX),
        metadata={"description": "Upload tokens of photos sent first to POST /api/v1/photos, "
                                 "each attached once"})
    answers = Answers(load_default=dict, metadata={
        "description": "Answers to the category's questions (GET /api/v1/categories)"})
    sent_offline = StrictBoolean(load_default=False, metadata={
        "description": "The report waited on the device for a connection and is sent "
                       "later (for the usage figures; not part of the Idempotency-Key's "
                       "request, since only a resend sets it)"})

    @validates_schema
    def _location_or_address(self, data: dict[str, Any], **_: Any) -> None:
        address = (data.get("address") or "").strip()
        if data.get("location") is None and not address:
            raise ValidationError("Give a location or an address.", field_name="location")

    @post_load
    def _to_new_report(self, data: dict[str, Any], **_: Any) -> NewReport:
        lon, lat = data.pop("location", None) or (None, None)
        return NewReport(lon=lon, lat=lat, **data)


class CategoryRef(Schema):
    code = fields.String()
    name = fields.String()


class PublicEventOut(Schema):
    kind = fields.String()
    status = fields.String(attribute="to_status", allow_none=True)
    note = fields.String(allow_none=True)
    at = fields.DateTime(attribute="created_at")


class PublicReportOut(Schema):
    """What anyone may see of a report: never the reporter's contact or internal notes."""

    id = fields.Integer()
    category = fields.Nested(CategoryRef)
    status = fields.String()
    location = Location(allow_none=True)
    address = fields.String(allow_none=True)
    description = fields.String()
    assigned_to = fields.String(allow_none=True, metadata={"description": "Responsible party"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    events = fields.List(fields.Nested(PublicEventOut))
    answers = fields.List(fields.Nested(AnswerOut), metadata={
        "description": "Answers to the category's questions, free-text answers left out"})
    photos = fields.List(fields.Nested(PublicPhotoOut), metadata={
        "description": "Photos of a published report that staff did not hide"})
    merged_into = fields.Integer(allow_none=True, metadata={
        "description": "A duplicate: the public report it was merged into, whose news to "
                       "follow instead"})


class SubmittedReportOut(Schema):
    id = fields.Integer()
    status = fields.String()
    assigned_to = fields.String(allow_none=True)
    public = fields.Boolean(metadata={"description": "Shown on the public map now"})
    follow_up_url = fields.Url(
        metadata={"description": "Capability link for the reporter; shown only this once"}
    )
    follow_up_token = fields.String()
    url = fields.Url(metadata={"description": "The report's public API resource"})


def report_view(report: Report, language: str) -> dict[str, Any]:
    """The public view's data of a report: only public events, no personal data."""
    location = to_shape(report.location) if report.location is not None else None
    return {
        "id": report.id,
        "category": {"code": report.category.code, "name": report.category.name(language)},
        "status": report.status,
        "location": (location.x, location.y) if location is not None else None,
        "address": report.address,
        "description": report.public_text,
        "assigned_to": report.assigned_party.name if report.assigned_party else None,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "events": [e for e in report.events if e.is_public],
        "answers": answers_view(report, language),
        "photos": public_photos_view(report),
        # Named only when the original is public too: its page is then there to open.
        "merged_into": report.merged_into_id
        if report.merged_into is not None and report.merged_into.is_public else None,
    }

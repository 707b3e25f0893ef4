"""The work-order API of contractor systems: its query and bodies in, work orders out.

A work order shows its party what the city's work order email shows: the reporter's own
text and every answer (free text included), the photos staff did not hide, the history the
party may read, and the reporter's contact only where the category shares it with the party.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import url_for
from geoalchemy2.shape import to_shape
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from feedbackgis.domain.limits import STAFF_TEXT_MAX_LENGTH
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.schemas.answers import AnswerOut, answers_view
from feedbackgis.schemas.fields import Location
from feedbackgis.schemas.public_map import QueryInteger, UtcSeconds
from feedbackgis.services.contractor_api.updates import CONTRACTOR_STATUSES
from feedbackgis.services.contractor_api.work_orders import (
    MAX_PAGE,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    WORK_ORDER_STATUSES,
    WorkOrder,
    WorkOrderQuery,
)

# RFC 3339 (what OpenAPI's date-time is): a date, a time and an offset, nothing looser.
RFC3339 = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
SINCE_HELP = "Give a date and time with its offset (RFC 3339), e.g. 2026-12-01T08:00:00Z."
# Anchored at the start (marshmallow matches, not searches): leading spaces are fine.
_not_blank = validate.Regexp(r"\s*\S", error="Must not be empty.")


class Rfc3339(fields.Field):
    """A time with its offset, as RFC 3339 writes it; loads to an aware datetime."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        match = RFC3339.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise ValidationError(SINCE_HELP)
        day, time, fraction, offset = match.groups()
        offset = "+00:00" if offset in ("Z", "z") else offset
        try:
            return datetime.fromisoformat(f"{day}T{time}{(fraction or '')[:7]}{offset}")
        except ValueError:
            raise ValidationError(SINCE_HELP) from None


class Statuses(fields.Field):
    """Comma-separated statuses of work orders; loads to a tuple of ReportStatus."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any
                     ) -> tuple[ReportStatus, ...]:
        parts = value.split(",") if isinstance(value, str) else [None]
        if not all(part in WORK_ORDER_STATUSES for part in parts):
            raise ValidationError("Give one or more of "
                                  f"{', '.join(WORK_ORDER_STATUSES)}, separated by commas.")
        return tuple(dict.fromkeys(ReportStatus(part) for part in parts))


class WorkOrderQueryIn(Schema):
    class Meta:
        unknown = EXCLUDE  # lang, a client's cache-buster

    status = Statuses(load_default=None)
    since = Rfc3339(load_default=None)
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = QueryInteger(load_default=PER_PAGE_DEFAULT,
                            validate=validate.Range(min=1, max=PER_PAGE_MAX))

    @post_load
    def _to_query(self, data: dict[str, Any], **_: Any) -> WorkOrderQuery:
        more = {"statuses": data["status"]} if data["status"] else {}
        return WorkOrderQuery(updated_after=data["since"], page=data["page"],
                              per_page=data["per_page"], **more)


class WorkOrderStatusIn(Schema):
    status = fields.String(required=True, validate=validate.OneOf(
        CONTRACTOR_STATUSES, error="Must be one of {choices}; the city sets the others."),
        metadata={"description": "in_progress (started), waiting (for a part, a permit, the "
                                 "season) or fixed (done: the reporter is asked to confirm)"})
    note = fields.String(allow_none=True, validate=validate.Length(max=STAFF_TEXT_MAX_LENGTH),
                         metadata={"description": "An internal note for the city's staff, "
                                                  "never shown to the public"})


class WorkOrderNoteIn(Schema):
    note = fields.String(required=True, validate=[
        validate.Length(min=1, max=STAFF_TEXT_MAX_LENGTH), _not_blank])


class WorkOrderCategoryOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class WorkOrderContactOut(Schema):
    name = fields.String(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    phone = fields.String(required=True, allow_none=True)


class WorkOrderPhotoOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={
        "enum": ["reporter", "follow_up", "after"],
        "description": "The reporter's (with the report, or later) or the party's after-photo"})
    url = fields.Url(required=True, metadata={"description": "The re-encoded JPEG (this "
                                                             "token's party only)"})
    thumbnail_url = fields.Url(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)


class WorkOrderEventOut(Schema):
    kind = fields.String(required=True)
    status = fields.String(required=True, allow_none=True, attribute="to_status")
    note = fields.String(required=True, allow_none=True)
    public = fields.Boolean(required=True, attribute="is_public")
    at = UtcSeconds(required=True, attribute="created_at")


class WorkOrderOut(Schema):
    id = fields.Integer(required=True)
    url = fields.Url(required=True)
    status = fields.String(required=True, metadata={"enum": list(WORK_ORDER_STATUSES)})
    category = fields.Nested(WorkOrderCategoryOut, required=True)
    location = Location(required=True, allow_none=True)
    address = fields.String(required=True, allow_none=True)
    description = fields.String(required=True, metadata={"description": "The reporter's text"})
    answers = fields.List(fields.Nested(AnswerOut), required=True)
    contact = fields.Nested(WorkOrderContactOut, required=True, allow_none=True, metadata={
        "description": "The reporter's contact, only where the category shares it with the "
                       "party (and the reporter left one); else null"})
    photos = fields.List(fields.Nested(WorkOrderPhotoOut), required=True)
    events = fields.List(fields.Nested(WorkOrderEventOut), required=True, metadata={
        "description": "Public changes and replies, the reporter's additions, and this "
                       "party's own notes, oldest first"})
    created_at = UtcSeconds(required=True)
    updated_at = UtcSeconds(required=True)
    due_at = UtcSeconds(required=True, allow_none=True)


class WorkOrderPageOut(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    work_orders = fields.List(fields.Nested(WorkOrderOut), required=True)


class WorkOrderNoteOut(Schema):
    id = fields.Integer(required=True)
    note = fields.String(required=True)
    actor = fields.String(required=True, metadata={"description": "The token's name"})
    created_at = UtcSeconds(required=True)


def work_order_view(work_order: WorkOrder, language: str) -> dict[str, Any]:
    report = work_order.report
    point = to_shape(report.location) if report.location is not None else None
    contact = work_order.contact
    return {
        "id": report.id, "url": work_order_url(report.id), "status": report.status,
        "category": {"code": report.category.code, "name": report.category.name(language)},
        "location": (point.x, point.y) if point is not None else None,
        # A party outside the city reads what a moderator let the public read.
        "address": report.address, "description": report.public_text,
        "answers": answers_view(report, language, with_free_text=True),
        "contact": None if contact is None else {"name": contact.name, "email": contact.email,
                                                 "phone": contact.phone},
        "photos": [photo_view(report.id, photo) for photo in work_order.photos],
        "events": work_order.events,
        "created_at": report.created_at, "updated_at": report.updated_at,
        "due_at": report.due_at,
    }


def work_order_url(report_id: int) -> str:
    return url_for("api.work_orders.get_work_order", report_id=report_id, _external=True)


def photo_view(report_id: int, photo: Any) -> dict[str, Any]:
    def url(**thumbnail: int) -> str:
        return url_for("api.work_orders.work_order_photo", report_id=report_id,
                       photo_id=photo.id, _external=True, **thumbnail)

    return {"id": photo.id, "kind": photo.kind.value, "url": url(),
            "thumbnail_url": url(thumbnail=1), "width": photo.width, "height": photo.height}

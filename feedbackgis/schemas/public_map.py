"""The public map and its list view: query parameters in, clusters and reports out.

Query parameters arrive as text. Each is read strictly, as the OpenAPI document describes it
(a number is a JSON number, an integer only digits), so what the document calls invalid is
refused with a 422 naming the parameter, never half-understood.
"""
from __future__ import annotations

import re
from datetime import UTC
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from feedbackgis.domain.map_grid import MAX_ZOOM, BoundingBox, BoundingBoxError
from feedbackgis.domain.public_map import MAX_CATEGORY_CODES, MAX_DAYS, ReportState
from feedbackgis.schemas.fields import Location
from feedbackgis.services.public_map.map_view import MapQuery
from feedbackgis.services.public_map.report_list import MAX_PAGE, ListedReport, ReportListQuery

JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
DECIMAL_INTEGER = re.compile(r"-?[0-9]+")
CATEGORY_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")  # as the catalog allows them
BBOX_HELP = "Give bbox=minlon,minlat,maxlon,maxlat in degrees (WGS 84)."


class BoundingBoxParam(fields.Field):
    """minlon,minlat,maxlon,maxlat in degrees; loads to a BoundingBox."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> BoundingBox:
        parts = value.split(",") if isinstance(value, str) else []
        if len(parts) != 4 or not all(JSON_NUMBER.fullmatch(p) for p in parts):
            raise ValidationError(f"Not four numbers. {BBOX_HELP}")
        try:
            return BoundingBox(*(float(p) for p in parts))
        except (BoundingBoxError, OverflowError) as exc:
            raise ValidationError(f"{exc} {BBOX_HELP}") from None


class QueryInteger(fields.Integer):
    """Decimal digits only (int() would take " 7", "+7" and "7_0" too)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if not isinstance(value, str) or not DECIMAL_INTEGER.fullmatch(value) or len(value) > 12:
            raise self.make_error("invalid", input=value)
        return int(value)


class CategoryCodes(fields.Field):
    """Comma-separated category codes; loads to a tuple of codes."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any
                     ) -> tuple[str, ...]:
        codes = value.split(",") if isinstance(value, str) else []
        if not codes or not all(CATEGORY_CODE.fullmatch(c) for c in codes):
            raise ValidationError("Give one or more category codes separated by commas "
                                  "(lower-case letters, digits, '-' or '_').")
        if len(codes) > MAX_CATEGORY_CODES:
            raise ValidationError(f"At most {MAX_CATEGORY_CODES} categories.")
        return tuple(codes)


class _FilterParams(Schema):
    class Meta:
        unknown = EXCLUDE  # lang, a client's cache-buster: not the map's business

    category = CategoryCodes(load_default=())
    state = fields.String(load_default=ReportState.ALL.value,
                          validate=validate.OneOf([s.value for s in ReportState]))
    days = QueryInteger(load_default=None, validate=validate.Range(min=1, max=MAX_DAYS))


class MapQueryIn(_FilterParams):
    bbox = BoundingBoxParam(required=True)
    zoom = QueryInteger(required=True, validate=validate.Range(min=0, max=MAX_ZOOM))

    @post_load
    def _to_query(self, data: dict[str, Any], **_: Any) -> MapQuery:
        return MapQuery(bbox=data["bbox"], zoom=data["zoom"], categories=data["category"],
                        state=ReportState(data["state"]), days=data["days"])


class ReportListQueryIn(_FilterParams):
    bbox = BoundingBoxParam(load_default=None)
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))

    @post_load
    def _to_query(self, data: dict[str, Any], **_: Any) -> ReportListQuery:
        return ReportListQuery(bbox=data["bbox"], categories=data["category"],
                               state=ReportState(data["state"]), days=data["days"],
                               page=data["page"])


class Degrees(fields.Float):
    """Six decimals: 0.1 m, and a smaller answer than Python's seventeen digits."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        return None if value is None else round(value, 6)


class UtcSeconds(fields.DateTime):
    """A time in UTC to the second, e.g. 2026-12-01T10:05:00+00:00."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(microsecond=0).isoformat()


class MapCellOut(Schema):
    lon = Degrees(metadata={"description": "Mean longitude of the cell's reports"})
    lat = Degrees(metadata={"description": "Mean latitude of the cell's reports"})
    count = fields.Integer()


class ClusteredMapOut(Schema):
    zoom = fields.Integer()
    grid_zoom = fields.Integer(metadata={
        "description": "The grid of 64-pixel cells at this zoom; below `zoom` when the "
                       "viewport was too large for that zoom's grid"})
    clustered = fields.Boolean()
    total = fields.Integer(metadata={"description": "Reports in the cells"})
    cells = fields.List(fields.Nested(MapCellOut))


class MapPointOut(Schema):
    id = fields.Integer()
    lon = Degrees()
    lat = Degrees()
    category = fields.String(metadata={"description": "Category code"})
    status = fields.String()
    created_at = UtcSeconds()


class PointMapOut(Schema):
    zoom = fields.Integer()
    clustered = fields.Boolean()
    truncated = fields.Boolean(metadata={
        "description": "More reports matched than were sent (the newest were)"})
    reports = fields.List(fields.Nested(MapPointOut))


class CategoryNameOut(Schema):
    code = fields.String()
    name = fields.String()


class ListedReportOut(Schema):
    id = fields.Integer()
    category = fields.Nested(CategoryNameOut)
    status = fields.String()
    address = fields.String(allow_none=True)
    created_at = UtcSeconds()
    location = Location()
    description = fields.String(metadata={"description": "At most 200 characters"})


class ReportPageOut(Schema):
    page = fields.Integer()
    page_size = fields.Integer()
    pages = fields.Integer()
    total = fields.Integer(metadata={"description": "At most 10,000 (see total_exact)"})
    total_exact = fields.Boolean(metadata={"description": "False: more than `total` match"})
    reports = fields.List(fields.Nested(ListedReportOut))


def listed_report_view(listed: ListedReport, language: str) -> dict[str, Any]:
    return {
        "id": listed.id,
        "category": {"code": listed.category_code,
                     "name": listed.category_names[language] or listed.category_names["fi"]},
        "status": listed.status, "address": listed.address, "created_at": listed.created_at,
        "location": (listed.lon, listed.lat), "description": listed.description,
    }

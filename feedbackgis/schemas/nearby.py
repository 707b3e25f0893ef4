"""Possible duplicates of a report being written: the query in, the reports out (public
fields only, never the reporter's contact)."""
from __future__ import annotations

import re
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

CATEGORY_CODE_MAX_LENGTH = 100
# A decimal number as the OpenAPI document describes it; Python's float() would also take
# " 1", "1_0", "nan" or "infinity", which a query parameter of type number is not.
DECIMAL = r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"
# No control characters (PostgreSQL takes no U+0000 in text).
PRINTABLE = r"^[^\x00-\x1f\x7f]+$"


class DecimalQueryNumber(fields.Float):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if not isinstance(value, str) or not re.match(DECIMAL, value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class NearbyQueryIn(Schema):
    """GET /api/v1/reports/nearby?lon=&lat=&category= (and lang= for category names)."""

    class Meta:
        unknown = EXCLUDE  # other query parameters (a cache buster) change nothing

    lon = DecimalQueryNumber(required=True, validate=validate.Range(-180, 180))
    lat = DecimalQueryNumber(required=True, validate=validate.Range(-90, 90))
    category = fields.String(required=True, validate=[
        validate.Length(min=1, max=CATEGORY_CODE_MAX_LENGTH),
        validate.Regexp(PRINTABLE, error="Must not contain control characters.")])


class NearbyCategoryOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class NearbyReportOut(Schema):
    id = fields.Integer(required=True)
    category = fields.Nested(NearbyCategoryOut, required=True)
    status = fields.String(required=True)
    description = fields.String(required=True)
    address = fields.String(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    lon = fields.Float(required=True)
    lat = fields.Float(required=True)
    distance_m = fields.Float(required=True, metadata={"description": "Metres from the point"})


class NearbyReportsOut(Schema):
    radius_m = fields.Float(required=True, metadata={
        "description": "How far was looked (DUPLICATE_RADIUS_M)"})
    reports = fields.List(fields.Nested(NearbyReportOut), required=True, metadata={
        "description": "Nearest first, at most 10"})

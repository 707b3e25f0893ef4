"""The contractor's work-order list: the phone's position (both or neither) and the page."""
from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, validate, validates_schema
from werkzeug.datastructures import MultiDict

from feedbackgis.schemas.nearby import DecimalQueryNumber
from feedbackgis.schemas.public_map import QueryInteger
from feedbackgis.schemas.staff_inbox import form_values

MAX_PAGE = 10_000


class WorkOrderListIn(Schema):
    class Meta:
        unknown = EXCLUDE  # lang, and whatever else a link carries

    lon = DecimalQueryNumber(load_default=None, validate=validate.Range(-180, 180))
    lat = DecimalQueryNumber(load_default=None, validate=validate.Range(-90, 90))
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))

    @validates_schema
    def _both_or_neither(self, data: dict[str, Any], **_: Any) -> None:
        if (data.get("lon") is None) != (data.get("lat") is None):
            raise ValidationError("Give both lat and lon, or neither.", "lat")


def load_work_order_list_args(args: MultiDict[str, str]) -> dict[str, Any]:
    """{"near": (lon, lat) or None, "page": n}; ValidationError naming what is wrong."""
    data = WorkOrderListIn().load(form_values(args))
    near = (data["lon"], data["lat"]) if data["lon"] is not None else None
    return {"near": near, "page": data["page"]}

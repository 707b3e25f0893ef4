"""The hot spots page's filter, read strictly from its address: an optional `category` id
of a category there is. What cannot be read is refused with the parameter's name (422)."""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, validate

from feedbackgis.schemas.figures import NO_LISTS
from feedbackgis.schemas.public_map import QueryInteger
from feedbackgis.schemas.staff_inbox import form_values


class HotSpotFilterIn(Schema):
    class Meta:
        unknown = EXCLUDE  # the page's other parameters (lang) are its own

    category_id = QueryInteger(data_key="category", validate=validate.Range(min=1))


def load_hot_spot_category(args: Any, categories: Collection[int]) -> int | None:
    """The category chosen in a request's query (a MultiDict), or None for every one."""
    category_id = HotSpotFilterIn().load(form_values(args, NO_LISTS)).get("category_id")
    if category_id is not None and category_id not in categories:
        raise ValidationError({"category": ["No category with this id."]})
    return category_id

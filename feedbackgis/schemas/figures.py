"""The figures' filters, read strictly from a page's address (dashboard, heatmap, exports,
open data): `from` and `to` as YYYY-MM (whole months, the municipality's calendar), and
optional `category`, `party` (0: reports of no party) and `zone` ids. Empty values are left
out; what cannot be read is refused with the parameter's name (422), never guessed.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from feedbackgis.errors import InvalidInput
from feedbackgis.schemas.public_map import QueryInteger
from feedbackgis.schemas.staff_inbox import form_values
from feedbackgis.services.analytics.dashboard import FigureFilters

_MONTH = re.compile(r"(\d{4})-(\d{2})")
# Ids are PostgreSQL integers: a larger one is no id at all (and must not reach a query).
MAX_ID = 2**31 - 1
NO_LISTS: frozenset[str] = frozenset()


class Month(fields.Field):
    """YYYY-MM, a calendar month; loads as its first day."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        match = _MONTH.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise ValidationError("A month as YYYY-MM, such as 2026-03.")
        year, month = int(match[1]), int(match[2])
        if not (1 <= month <= 12 and 2000 <= year <= 2099):
            raise ValidationError("A month between 2000-01 and 2099-12.")
        return date(year, month, 1)

    def _serialize(self, value: date | None, attr: str | None, obj: Any,
                   **kwargs: Any) -> str | None:
        return None if value is None else value.isoformat()[:7]


class FigureFiltersIn(Schema):
    class Meta:
        unknown = EXCLUDE  # a page's other parameters (lang, a chart's choice) are its own

    first_month = Month(data_key="from")
    last_month = Month(data_key="to")
    category_id = QueryInteger(data_key="category", validate=validate.Range(min=1, max=MAX_ID))
    party_id = QueryInteger(data_key="party", validate=validate.Range(min=0, max=MAX_ID))
    zone_id = QueryInteger(data_key="zone", validate=validate.Range(min=1, max=MAX_ID))


def load_figure_filters(args: Any, this_month: date) -> FigureFilters:
    """The filters of a request's query (a MultiDict); the last twelve months by default,
    a missing end is this month, a missing start twelve months before the end."""
    data = FigureFiltersIn().load(form_values(args, NO_LISTS))
    default = FigureFilters.last_twelve_months(data.get("last_month", this_month))
    try:
        return FigureFilters(first_month=data.get("first_month", default.first_month),
                             last_month=data.get("last_month", default.last_month),
                             category_id=data.get("category_id"),
                             party_id=data.get("party_id"), zone_id=data.get("zone_id"))
    except InvalidInput as error:
        raise ValidationError({error.field or "from": [str(error)]}) from error


def figure_filters_query(filters: FigureFilters) -> dict[str, str]:
    """The filters as a page's query parameters again (links, downloads, jobs' params)."""
    query = {"from": filters.first_month.isoformat()[:7], "to": filters.last_month.isoformat()[:7]}
    for name, key in (("category_id", "category"), ("party_id", "party"), ("zone_id", "zone")):
        value = getattr(filters, name)
        if value is not None:
            query[key] = str(value)
    return query

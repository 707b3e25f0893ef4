"""GeoReport v2 query parameters, read strictly: what cannot be read is refused naming the
parameter (a 400 in the spec's errors list), never guessed. Parameters this server does not
know (api_key on a read, a client's own extras) are left out, as the spec's clients expect.

GET requests' dates. The spec's start_date/end_date (requested_datetime) are at most 90 days
apart; given one, the other is 90 days from it. Given neither, the spec's default window,
the last 90 days, applies only when nothing else bounds the answer: service_request_id,
bbox, lat+long+radius, updated_after or updated_before each bound it already (a map's
viewport, an id list, a client syncing by update time), so with any of them there is no
default date window. service_code, status and page/page_size bound nothing: with only them
the last 90 days apply. Every answer is still at most page_size (≤ 1,000) requests, newest
first then by id, so that pages neither skip nor repeat one; pages reach at most the first
MAX_DEPTH (10,000) requests of a query.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from feedbackgis.domain.local_time import aware
from feedbackgis.i18n import LANGUAGES
from feedbackgis.services.open311.requests import (
    MAX_DAYS,
    MAX_REQUESTS,
    SPEC_STATUSES,
    RequestQuery,
)

MAX_ID = 2**31 - 1
# An id as a client writes it: ASCII digits only (str.isdigit takes ² and other digits too).
ID_DIGITS = re.compile(r"[0-9]{1,10}")
# Years a datetime may name: a window of 90 days around it stays within Python's dates.
FIRST_YEAR, LAST_YEAR = 1970, 9000
# A number as a client writes a coordinate or a distance (1e-05 is how Python writes one):
# never nan or inf, nor digits of other scripts that float() would take.
DECIMAL = re.compile(r"[+-]?([0-9]{1,12}(\.[0-9]{0,17})?|\.[0-9]{1,17})([eE][+-]?[0-9]{1,3})?")
COUNT_DIGITS = re.compile(r"[0-9]{1,9}")
# A radius search is a neighbourhood, not the country: beyond 20 km ask with a bbox.
MAX_RADIUS_M = 20_000
# How deep pages reach: page × page_size at most this many requests. A deeper page is an
# OFFSET PostgreSQL must read and throw away (page 300 of 1,000 in a world-wide box took 5 s
# at 300,000 reports); a client that wants more narrows the query and pages again.
MAX_DEPTH = 10_000
DEEPER = (f"page × page_size reaches at most the first {MAX_DEPTH:,} requests of a query; to "
          "go further, narrow it (bbox, start_date/end_date, updated_after) and page again.")
CIRCLE = ("lat", "long", "radius")


def is_id(text: str) -> bool:
    """Whether `text` is the id of a request (a positive PostgreSQL integer)."""
    return ID_DIGITS.fullmatch(text) is not None and 1 <= int(text) <= MAX_ID


class W3cDateTime(fields.Field):
    """A W3C datetime (2026-03-01T12:00:00+02:00, ...Z, or a day 2026-03-01); one without
    an offset is read in the municipality's time zone (load_requests_query does it)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError("A W3C datetime, such as 2026-03-01T12:00:00+02:00.")
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValidationError(f"A datetime between the years {FIRST_YEAR} and {LAST_YEAR}.")
        return moment


class IdList(fields.Field):
    """A comma list of report ids: 12,13,14."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[int]:
        items = [item.strip() for item in str(value).split(",")]
        if not all(is_id(item) for item in items):
            raise ValidationError("A comma-separated list of request ids, such as 12,13.")
        if len(items) > MAX_REQUESTS:
            raise ValidationError(f"At most {MAX_REQUESTS} ids.")
        return list(dict.fromkeys(int(item) for item in items))


class Flag(fields.Field):
    """A boolean as clients write one: true/false or 1/0 (any case)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        text = str(value).strip().lower()
        if text not in ("true", "false", "1", "0"):
            raise ValidationError("true or false.")
        return text in ("true", "1")


class Decimal(fields.Field):
    """A finite number such as 60.1699, -0.5 or 1e-05 (never nan or inf)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if not isinstance(value, str) or DECIMAL.fullmatch(value.strip()) is None:
            raise ValidationError("A decimal number, such as 60.1699.")
        number = float(value)
        if not math.isfinite(number):
            raise ValidationError("A finite number.")
        return number


class Count(fields.Field):
    """A whole number written with ASCII digits only."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if not isinstance(value, str) or COUNT_DIGITS.fullmatch(value.strip()) is None:
            raise ValidationError("A whole number, such as 2.")
        return int(value)


class StatusList(fields.Field):
    """A comma list of the spec's statuses: open, closed or open,closed."""

    def _deserialize(self, value: Any, attr: str | None, data: Any,
                     **kwargs: Any) -> frozenset[str]:
        items = {item.strip() for item in str(value).split(",")}
        if not items <= set(SPEC_STATUSES):
            raise ValidationError("open, closed or both as a comma list (open,closed).")
        return frozenset(items)


class BoundingBox(fields.Field):
    """bbox=min_lon,min_lat,max_lon,max_lat in degrees (EPSG:4326), as 6Aika's server reads
    it; a malformed, reversed or out-of-range box is refused, never turned around."""

    def _deserialize(self, value: Any, attr: str | None, data: Any,
                     **kwargs: Any) -> tuple[float, float, float, float]:
        parts = [part.strip() for part in str(value).split(",")]
        if len(parts) != 4 or not all(DECIMAL.fullmatch(part) for part in parts):
            raise ValidationError("Four decimal numbers: min_lon,min_lat,max_lon,max_lat.")
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)  # 1e999: inf
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180
                and -90 <= min_lat <= 90 and -90 <= max_lat <= 90):
            raise ValidationError("Longitudes between -180 and 180, latitudes between -90 "
                                  "and 90 (min_lon,min_lat,max_lon,max_lat).")
        if min_lon >= max_lon or min_lat >= max_lat:
            raise ValidationError("The minimums first: min_lon,min_lat,max_lon,max_lat, each "
                                  "minimum below its maximum.")
        return min_lon, min_lat, max_lon, max_lat


class LocaleIn(Schema):
    class Meta:
        unknown = EXCLUDE

    locale = fields.String(load_default="fi", validate=validate.OneOf(LANGUAGES))


class RequestIn(LocaleIn):
    """requests/{id}: the language and the extensions."""

    extensions = Flag(load_default=False)


class RequestsIn(RequestIn):
    service_request_id = IdList()
    service_code = fields.String(validate=[validate.Length(min=1, max=64),
                                           validate.Regexp(r"[^\x00-\x1f\x7f]+\Z",
                                                           error="A service code.")])
    status = StatusList()
    start_date = W3cDateTime()
    end_date = W3cDateTime()
    updated_after = W3cDateTime()
    updated_before = W3cDateTime()
    bbox = BoundingBox()
    lat = Decimal(validate=validate.Range(-90, 90))
    long = Decimal(validate=validate.Range(-180, 180))
    radius = Decimal(validate=validate.Range(0, MAX_RADIUS_M, min_inclusive=False))
    page = Count(load_default=1, validate=validate.Range(min=1))  # and _page_within_reach
    page_size = Count(load_default=MAX_REQUESTS, validate=validate.Range(1, MAX_REQUESTS))

    @validates_schema
    def _circle_whole(self, data: dict[str, Any], **kwargs: Any) -> None:
        given = [name for name in CIRCLE if name in data]
        if given and len(given) < len(CIRCLE):
            missing = [name for name in CIRCLE if name not in data]
            raise ValidationError({name: ["lat, long and radius go together."]
                                   for name in missing})

    @validates_schema
    def _page_within_reach(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("page", 1) * data.get("page_size", MAX_REQUESTS) > MAX_DEPTH:
            raise ValidationError({"page": [DEEPER]})



# Built once: a schema's instance holds no state of a load, and building one took longer than
# the load itself (its fields are copied for each instance).
_LOCALE_IN = LocaleIn()
_REQUEST_IN = RequestIn()
_REQUESTS_IN = RequestsIn()


def load_locale(args: Mapping[str, Any]) -> str:
    return _LOCALE_IN.load(first_values(args))["locale"]


def load_request_options(args: Mapping[str, Any]) -> tuple[str, bool]:
    """requests/{id}'s language and whether it asks for the extensions."""
    data = _REQUEST_IN.load(first_values(args))
    return data["locale"], data["extensions"]


def load_requests_query(args: Mapping[str, Any], now: datetime, zone: tzinfo) -> RequestQuery:
    """The filters of GET requests. service_request_id overrides every other filter. The
    other filters combine (all must hold); see the module's docstring for the dates."""
    data = _REQUESTS_IN.load(first_values(args))
    shown = {"language": data["locale"], "extensions": data["extensions"],
             "page": data["page"], "page_size": data["page_size"]}
    if "service_request_id" in data:
        return RequestQuery(ids=data["service_request_id"], **shown)
    updated_after, updated_before = (aware(data.get(name), zone)
                                     for name in ("updated_after", "updated_before"))
    if updated_after and updated_before and updated_before < updated_after:
        raise ValidationError({"updated_before": ["Must not be before updated_after."]})
    circle = (data["long"], data["lat"], data["radius"]) if "radius" in data else None
    bounded = any(name in data for name in ("bbox", "radius", "updated_after",
                                            "updated_before"))
    start, end = _created_window(data, now, zone, default=not bounded)
    return RequestQuery(service_code=data.get("service_code"), statuses=data.get("status"),
                        start=start, end=end, updated_after=updated_after,
                        updated_before=updated_before, bbox=data.get("bbox"), circle=circle,
                        **shown)


def _created_window(data: dict[str, Any], now: datetime, zone: tzinfo, *,
                    default: bool) -> tuple[datetime | None, datetime | None]:
    """start_date and end_date: at most 90 days apart, a missing one 90 days from the other;
    neither: the last 90 days when `default`, else no condition on the dates."""
    start, end = (aware(data.get(name), zone) for name in ("start_date", "end_date"))
    if start is not None and end is not None:
        if end < start:
            raise ValidationError({"end_date": ["Must not be before start_date."]})
        if end - start > timedelta(days=MAX_DAYS):
            raise ValidationError({"end_date": [f"At most {MAX_DAYS} days after start_date."]})
    window = timedelta(days=MAX_DAYS)
    if start is None and end is None:
        return (now - window, now) if default else (None, None)
    if start is None:
        start = end - window
    elif end is None:
        end = start + window
    return start, end


def first_values(args: Mapping[str, Any]) -> dict[str, Any]:
    """One value a parameter (a repeated parameter: its first)."""
    getter = getattr(args, "get", None)
    return {key: getter(key) for key in args} if getter else dict(args)

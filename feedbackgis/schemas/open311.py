"""GeoReport v2 query parameters, read strictly: what cannot be read is refused naming the
parameter (a 400 in the spec's errors list), never guessed. Parameters this server does not
know (api_key on a read, a client's own extras) are left out, as the spec's clients expect.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from feedbackgis.i18n import LANGUAGES
from feedbackgis.services.open311.requests import MAX_DAYS, MAX_REQUESTS, RequestQuery

MAX_ID = 2**31 - 1
# An id as a client writes it: ASCII digits only (str.isdigit takes ² and other digits too).
ID_DIGITS = re.compile(r"[0-9]{1,10}")
# Years a datetime may name: a window of 90 days around it stays within Python's dates.
FIRST_YEAR, LAST_YEAR = 1970, 9000


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


class LocaleIn(Schema):
    class Meta:
        unknown = EXCLUDE

    locale = fields.String(load_default="fi", validate=validate.OneOf(LANGUAGES))


class RequestsIn(LocaleIn):
    service_request_id = IdList()
    service_code = fields.String(validate=[validate.Length(min=1, max=64),
                                           validate.Regexp(r"[^\x00-\x1f\x7f]+\Z",
                                                           error="A service code.")])
    status = fields.String(validate=validate.OneOf(["open", "closed"]))
    start_date = W3cDateTime()
    end_date = W3cDateTime()


def load_locale(args: Mapping[str, Any]) -> str:
    return LocaleIn().load(_single(args))["locale"]


def load_requests_query(args: Mapping[str, Any], now: datetime, zone: tzinfo) -> RequestQuery:
    """The filters of GET requests; service_request_id overrides every other filter, and a
    missing date is start_date + 90 days, end_date - 90 days, or the last 90 days."""
    data = RequestsIn().load(_single(args))
    if "service_request_id" in data:
        return RequestQuery(ids=data["service_request_id"], language=data["locale"])
    start, end = (_aware(data.get(name), zone) for name in ("start_date", "end_date"))
    if start is not None and end is not None:
        if end < start:
            raise ValidationError({"end_date": ["Must not be before start_date."]})
        if end - start > timedelta(days=MAX_DAYS):
            raise ValidationError({"end_date": [f"At most {MAX_DAYS} days after start_date."]})
    window = timedelta(days=MAX_DAYS)
    if start is None and end is None:
        start, end = now - window, now
    elif start is None:
        start = end - window
    elif end is None:
        end = start + window
    return RequestQuery(language=data["locale"], service_code=data.get("service_code"),
                        status=data.get("status"), start=start, end=end)


def _aware(moment: datetime | None, zone: tzinfo) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone)


def _single(args: Mapping[str, Any]) -> dict[str, Any]:
    """One value a parameter (a repeated parameter: its first)."""
    getter = getattr(args, "get", None)
    return {key: getter(key) for key in args} if getter else dict(args)

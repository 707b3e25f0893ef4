"""The staff inbox's query: filters, sort and page, read strictly from the page's address.

Each parameter is text; an empty one (a form's "any" choice) is left out. What cannot be
read is refused with the parameter's name (422), never guessed. Whether a party, zone or
person is one the user may filter by is the service's question (services/staff/inbox.py).
"""
from __future__ import annotations

from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)
from werkzeug.datastructures import MultiDict

from feedbackgis.domain.inbox import (
    MAX_AGE_DAYS,
    MAX_BULK_REPORTS,
    MAX_PAGE,
    NATURAL_ORDER,
    InboxFilter,
    InboxSort,
    PersonFilter,
    SortOrder,
)
from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.schemas.public_map import QueryInteger

# Parameters given more than once: the filter's status checkboxes, the bulk form's reports.
FILTER_LISTS = frozenset({"status"})
BULK_LISTS = frozenset({"report"})
TRUE_WORDS = frozenset({"1", "true", "on", "yes"})
FALSE_WORDS = frozenset({"0", "false", "off", "no"})


def form_values(args: MultiDict[str, str],
                lists: frozenset[str] = FILTER_LISTS) -> dict[str, Any]:
    """A query's or a form's values for a schema: a list for each of `lists`, the first
    value otherwise, empty values left out."""
    values: dict[str, Any] = {}
    for key in args:
        given = [value for value in args.getlist(key) if value != ""]
        if given:
            values[key] = given if key in lists else given[0]
    return values


class QueryBoolean(fields.Boolean):
    """A checkbox: 1/true/on/yes or 0/false/off/no."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        word = value.lower() if isinstance(value, str) else None
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise self.make_error("invalid", input=value)


class PersonParam(fields.Field):
    """"me", "nobody", or a staff user's id."""

    def _deserialize(self, value: Any, attr: str | None, data: Any,
                     **kwargs: Any) -> int | PersonFilter:
        if value in {p.value for p in PersonFilter}:
            return PersonFilter(value)
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
            return int(value)
        raise ValidationError('Give "me", "nobody" or the id of a person.')


def _id() -> QueryInteger:
    return QueryInteger(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))


def _days() -> QueryInteger:
    return QueryInteger(load_default=None, validate=validate.Range(min=0, max=MAX_AGE_DAYS))


class InboxFilterIn(Schema):
    class Meta:
        unknown = EXCLUDE  # lang, and whatever else a link carries

    status = fields.List(fields.String(validate=validate.OneOf([s.value for s in ReportStatus])),
                         load_default=list)
    category = _id()
    zone = _id()
    party = _id()
    min_age = _days()
    max_age = _days()
    overdue = QueryBoolean(load_default=False)
    person = PersonParam(load_default=None)
    sort = fields.String(load_default=InboxSort.RECEIVED.value,
                         validate=validate.OneOf([s.value for s in InboxSort]))
    order = fields.String(load_default=None,
                          validate=validate.OneOf([o.value for o in SortOrder]))
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))

    @validates_schema
    def _ages_in_order(self, data: dict[str, Any], **_: Any) -> None:
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            raise ValidationError("Must not be more than the greatest age.", "min_age")

    @post_load
    def _to_filter(self, data: dict[str, Any], **_: Any) -> InboxFilter:
        sort = InboxSort(data["sort"])
        return InboxFilter(
            statuses=frozenset(ReportStatus(s) for s in data["status"]) or OPEN_STATUSES,
            category_id=data["category"], zone_id=data["zone"], party_id=data["party"],
            min_age_days=data["min_age"], max_age_days=data["max_age"],
            overdue_only=data["overdue"], person=data["person"], sort=sort,
            order=SortOrder(data["order"]) if data["order"] else NATURAL_ORDER[sort],
            page=data["page"])


def load_inbox_filter(args: MultiDict[str, str]) -> InboxFilter:
    """The filter of a query; ValidationError naming each parameter that cannot be read."""
    return InboxFilterIn().load(form_values(args))


class BulkActionIn(Schema):
    """The inbox's bulk form: the reports checked, and what to do with them."""

    class Meta:
        unknown = EXCLUDE  # the CSRF token, the inbox's query to go back to

    report = fields.List(QueryInteger(validate=validate.Range(min=1, max=2**31 - 1)),
                         required=True,
                         validate=validate.Length(min=1, max=MAX_BULK_REPORTS))
    action = fields.String(required=True, validate=validate.OneOf(["assign", "status"]))
    person = PersonParam(load_default=None)
    status = fields.String(load_default=None)

    @validates_schema
    def _what_to_do(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("action") == "assign" and data.get("person") is None:
            raise ValidationError("Choose whom to give the reports to.", "person")
        if data.get("action") == "status" and not data.get("status"):
            raise ValidationError("Choose the new status.", "status")


def load_bulk_action(form: MultiDict[str, str]) -> dict[str, Any]:
    """The bulk form's action; ValidationError naming each field that cannot be used."""
    return BulkActionIn().load(form_values(form, BULK_LISTS))

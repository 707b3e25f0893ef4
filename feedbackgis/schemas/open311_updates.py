"""mySociety's servicerequestupdates parameters, read strictly (a 400 naming the parameter).

GET: start_date/end_date as GET requests takes them (W3C, at most 90 days apart; one
missing is the other +/- 90 days; neither, the last 90 days), and an optional
service_request_id (a comma list): with it and no date, every update of those requests.

POST (form-encoded): service_request_id and update_id required; updated_datetime (without
an offset: the municipality's local time), status, description (at most 4,000 characters)
and media_url optional. FixMyStreet with use_extended_updates sends update_id_ext instead of
update_id: taken when update_id is missing. Its service_request_id_ext is FixMyStreet's own
id of the request (service_request_id, always sent, is ours), so it is never taken for ours.
The sender's contact fields (email, first_name, last_name, phone, title, account_id) and
other extras are dropped unread: nothing stores them.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from feedbackgis.domain.local_time import aware
from feedbackgis.errors import NotFound
from feedbackgis.schemas.open311 import IdList, W3cDateTime, first_values, is_id
from feedbackgis.services.open311.received_updates import ReceivedUpdate
from feedbackgis.services.open311.requests import MAX_DAYS
from feedbackgis.services.open311.update_input import (
    MEDIA_URL_MAX_LENGTH,
    STATUS_MAX_LENGTH,
    update_id_problem,
)
from feedbackgis.services.open311.updates import UpdatesQuery

__all__ = ["DESCRIPTION_MAX_LENGTH", "STATUS_MAX_LENGTH", "load_received_update",
           "load_updates_query"]

DESCRIPTION_MAX_LENGTH = 4000  # GeoReport v2's limit of a description
# Named as the sender spells them; the plain name wins when both come.
EXTENDED_NAMES = {"update_id": "update_id_ext"}
PRINTABLE = validate.Regexp(r"[^\x00-\x1f\x7f]+\Z", error="Printable characters only.")


class UpdatesIn(Schema):
    class Meta:
        unknown = EXCLUDE

    service_request_id = IdList()
    start_date = W3cDateTime()
    end_date = W3cDateTime()


def _check_update_id(value: str) -> None:
    problem = update_id_problem(value)
    if problem is not None:
        raise ValidationError(problem)


class UpdateIn(Schema):
    class Meta:
        unknown = EXCLUDE

    service_request_id = fields.String(required=True, error_messages={"required": (
        "Missing: our id of the request (service_request_id; a service_request_id_ext is "
        "the sender's own id of it, not ours).")})
    update_id = fields.String(required=True, validate=_check_update_id, error_messages={
        "required": "Missing: the sender's id of the update (update_id, or update_id_ext)."})
    updated_datetime = W3cDateTime()
    status = fields.String(validate=[validate.Length(max=STATUS_MAX_LENGTH), PRINTABLE])
    description = fields.String(validate=validate.Length(max=DESCRIPTION_MAX_LENGTH))
    media_url = fields.URL(schemes={"http", "https"},
                           validate=validate.Length(max=MEDIA_URL_MAX_LENGTH))

    @pre_load
    def _empty_is_missing(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        # Clients send every field, empty ones as "": an empty optional field is no field.
        # A blank id is kept, to be told what is wrong with it rather than that it is missing.
        blank = {key for key, value in data.items()
                 if isinstance(value, str) and not value.strip()}
        for name, extended in EXTENDED_NAMES.items():
            if (name not in data or name in blank) and extended in data \
                    and extended not in blank:
                data = {**data, name: data[extended]}
                blank.discard(name)
        return {key: value for key, value in data.items()
                if key not in blank or key == "update_id"}



# Built once: a schema's instance holds no state of a load, and building one took longer than
# the load itself (its fields are copied for each instance).
_UPDATES_IN = UpdatesIn()
_UPDATE_IN = UpdateIn()


def load_updates_query(args: Mapping[str, Any], now: datetime, zone: tzinfo) -> UpdatesQuery:
    data = _UPDATES_IN.load(first_values(args))
    ids = data.get("service_request_id")
    start, end = (aware(data.get(name), zone) for name in ("start_date", "end_date"))
    if ids is not None and start is None and end is None:
        return UpdatesQuery(report_ids=ids)
    window = timedelta(days=MAX_DAYS)
    if start is not None and end is not None:
        if end < start:
            raise ValidationError({"end_date": ["Must not be before start_date."]})
        if end - start > window:
            raise ValidationError({"end_date": [f"At most {MAX_DAYS} days after start_date."]})
    elif start is None and end is None:
        start, end = now - window, now
    elif start is None:
        start = end - window
    else:
        end = start + window
    return UpdatesQuery(report_ids=ids, start=start, end=end)


def load_received_update(form: Mapping[str, Any], zone: tzinfo) -> tuple[int, ReceivedUpdate]:
    """The request's id and the update; NotFound for an id that no request can have."""
    data = _UPDATE_IN.load(first_values(form))
    request_id = data["service_request_id"].strip()
    if not is_id(request_id):
        # The id echoed only when it can be shown (no control characters in an answer).
        shown = f" {request_id[:40]}" if request_id.isprintable() else ""
        raise NotFound(f"No service request with id{shown}.", field="service_request_id")
    return int(request_id), ReceivedUpdate(
        update_id=data["update_id"], status=data.get("status"),
        description=data.get("description"),
        updated_at=aware(data.get("updated_datetime"), zone),
        media_url=data.get("media_url"))


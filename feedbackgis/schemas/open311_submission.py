"""GeoReport v2 `POST requests` parameters (a form), read strictly: what cannot be read is
refused naming the parameter (a 400 in the spec's errors list).

A parameter sent empty counts as not sent (form clients send every field of their form).
Parameters this server does not know are left out, as the spec's clients expect; the
`attribute[code]` ones are the answers to the service's questions (services/{code}), one
value each: no question of ours takes several values (no multivaluelist).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from feedbackgis.domain.limits import ADDRESS_MAX_LENGTH, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from feedbackgis.i18n import LANGUAGES
from feedbackgis.schemas.fields import refuse_nul_characters
from feedbackgis.schemas.open311 import Decimal
from feedbackgis.schemas.reports import ContactIn
from feedbackgis.services.open311.submissions import RequestPost, client_address
from feedbackgis.services.reports.submission import Contact

# The limit for a client system's text (our own form takes more).
DESCRIPTION_MAX_LENGTH = 4000
CLIENT_ID_MAX_LENGTH = 200  # device_id, account_id, address_id (open311_submission)
MEDIA_URL_MAX_LENGTH = 2000
ATTRIBUTE = re.compile(r"attribute\[([^\[\]]{1,64})\]\Z")
LOCATION_PARAMETERS = ("lat", "long", "address_string", "address_id")


def _length(maximum: int) -> validate.Length:
    return validate.Length(max=maximum, error=f"Must be at most {maximum} characters.")


class RequestPostIn(Schema):
    class Meta:
        unknown = EXCLUDE

    service_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    # Read as GET requests reads them: ASCII digits only (float() takes 6_0.17 and ٦٠.17).
    lat = Decimal(validate=validate.Range(
        -90, 90, error="Must be between -90 and 90 (degrees of WGS 84)."))
    long = Decimal(validate=validate.Range(
        -180, 180, error="Must be between -180 and 180 (degrees of WGS 84)."))
    address_string = fields.String(validate=_length(ADDRESS_MAX_LENGTH))
    address_id = fields.String(validate=_length(CLIENT_ID_MAX_LENGTH))
    email = fields.Email(validate=_length(EMAIL_MAX_LENGTH))
    first_name = fields.String(validate=_length(NAME_MAX_LENGTH))
    last_name = fields.String(validate=_length(NAME_MAX_LENGTH))
    phone = fields.String(validate=ContactIn._declared_fields["phone"].validators)
    consent = fields.Boolean(truthy={"true"}, falsy={"false"})
    device_id = fields.String(validate=_length(CLIENT_ID_MAX_LENGTH))
    account_id = fields.String(validate=_length(CLIENT_ID_MAX_LENGTH))
    media_url = fields.Url(schemes={"http", "https"}, require_tld=False,
                           validate=_length(MEDIA_URL_MAX_LENGTH),
                           error_messages={"invalid": "Must be an http:// or https:// URL."})
    description = fields.String(validate=_length(DESCRIPTION_MAX_LENGTH))
    locale = fields.String(load_default="fi", validate=validate.OneOf(LANGUAGES))

    @validates_schema
    def _location(self, data: dict[str, Any], **_: Any) -> None:
        if ("lat" in data) != ("long" in data):
            missing = "long" if "lat" in data else "lat"
            raise ValidationError("Give lat and long together.", field_name=missing)
        if not any(name in data for name in LOCATION_PARAMETERS):
            raise ValidationError("Give lat and long, address_string or address_id.",
                                  field_name="location")

    @validates_schema
    def _address(self, data: dict[str, Any], **_: Any) -> None:
        # Both become one address text (client_address), which the report holds at most
        # ADDRESS_MAX_LENGTH of: refused here rather than cut or failed at the database.
        address = client_address(data.get("address_string"), data.get("address_id"))
        if len(address or "") > ADDRESS_MAX_LENGTH:
            raise ValidationError(
                f"Too long with address_string: the report's address \"address_string "
                f"(address_id: ...)\" is at most {ADDRESS_MAX_LENGTH} characters.",
                field_name="address_id")

    @validates_schema
    def _name(self, data: dict[str, Any], **_: Any) -> None:
        if len(_full_name(data) or "") > NAME_MAX_LENGTH:
            raise ValidationError(f"first_name and last_name together must be at most "
                                  f"{NAME_MAX_LENGTH} characters.", field_name="last_name")


def _full_name(data: Mapping[str, Any]) -> str | None:
    return " ".join(part for part in (data.get("first_name"), data.get("last_name"))
                    if part) or None



# Built once: a schema's instance holds no state of a load, and building one took longer than
# the load itself (its fields are copied for each instance).
_REQUEST_POST_IN = RequestPostIn()


def load_request_post(form: Any) -> RequestPost:
    """The request of a form (a werkzeug MultiDict: request.form)."""
    values = {key: form.getlist(key) for key in form}
    for key, items in values.items():
        refuse_nul_characters(key)
        for item in items:
            refuse_nul_characters(item, key)
    filled = {key: [value.strip() for value in items if value.strip()]
              for key, items in values.items()}
    single = {key: items[0] for key, items in filled.items()
              if items and not key.startswith("attribute[")}
    data = _REQUEST_POST_IN.load(single)
    contact = _contact(data)
    return RequestPost(
        service_code=data["service_code"], language=data["locale"],
        description=data.get("description"), lon=data.get("long"), lat=data.get("lat"),
        address_string=data.get("address_string"), address_id=data.get("address_id"),
        contact=contact, attributes=_attributes(filled), device_id=data.get("device_id"),
        account_id=data.get("account_id"), media_url=data.get("media_url"))


def _contact(data: Mapping[str, Any]) -> Contact | None:
    contact = Contact(name=_full_name(data), email=data.get("email"), phone=data.get("phone"),
                      consent=data.get("consent", False))
    return None if contact.is_empty() else contact


def _attributes(filled: Mapping[str, list[str]]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, items in filled.items():
        if not key.startswith("attribute["):
            continue
        match = ATTRIBUTE.fullmatch(key)
        if match is None:
            errors[key] = ["An attribute is named attribute[code], with the code of one of "
                           "the service's attributes."]
        elif len(items) > 1:
            errors[key] = ["One value only: no attribute of this server takes several."]
        elif items:  # an empty answer is no answer (a required one is then missing)
            attributes[match.group(1)] = items[0]
    if errors:
        raise ValidationError(errors)
    return attributes

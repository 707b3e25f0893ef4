"""What a report says when it is sent to a party's own Open311 system: the form fields of
GeoReport v2's POST requests.

The public facts only (the public text, the place, the answers to the category's questions,
the public photo's URL), and the reporter's contact only where the category shares it with
the party (contact_shared_with_party, as the email and the webhook do).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.models import Party, Photo, Report
from feedbackgis.services.notifications.report_notifications import contact_shared_with_party

DESCRIPTION_MAX_LENGTH = 4000  # the spec's limit of description
PHOTO_PATH = "/photos/{id}.jpg"  # the public photo file (api/photos.py photo_image)


@dataclass(frozen=True)
class Open311SendSettings:
    base_url: str  # PUBLIC_BASE_URL: media_url points to our public photo
    timeout: float  # seconds, to connect and to read each answer

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Open311SendSettings:
        return cls(base_url=config["PUBLIC_BASE_URL"].rstrip("/"),
                   timeout=float(config.get("WEBHOOK_TIMEOUT", 5)))


def service_code_for(party: Party, category_code: str) -> str:
    """The party's service_code of our category: its mapping, else our own code."""
    mapped = (party.open311_service_codes or {}).get(category_code)
    return str(mapped) if mapped else category_code


def request_form(session: Session, settings: Open311SendSettings, report: Report,
                 party: Party) -> dict[str, str]:
    """The POST requests fields for `report` (without the api_key: the sender adds it)."""
    form: dict[str, str] = {"service_code": service_code_for(party, report.category.code),
                            "description": report.public_text[:DESCRIPTION_MAX_LENGTH]}
    if party.open311_jurisdiction_id:
        form["jurisdiction_id"] = party.open311_jurisdiction_id
    if report.location is not None:
        point = to_shape(report.location)
        form["lat"], form["long"] = f"{point.y:.7f}", f"{point.x:.7f}"
    if report.address:
        form["address_string"] = report.address
    for code, value in sorted((report.answers or {}).items()):
        form[f"attribute[{code}]"] = _attribute_value(value)
    photo_id = _public_photo_id(session, report)
    if photo_id is not None:
        form["media_url"] = settings.base_url + PHOTO_PATH.format(id=photo_id)
    form.update(_contact_fields(session, report))
    return form


def _attribute_value(value: Any) -> str:
    # Open311 has no boolean: yes/no questions are the values "true" and "false"
    # (domain/questions.py), and a whole number has no ".0".
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _public_photo_id(session: Session, report: Report) -> int | None:
    """The photo anyone may fetch (a public report's first photo not hidden), or None: a
    URL that answers 404 to the party's system would only be a broken link."""
    if not report.is_public:
        return None
    return session.scalar(select(Photo.id).where(Photo.report_id == report.id,
                                                 Photo.hidden.is_(False))
                          .order_by(Photo.position, Photo.id).limit(1))


def _contact_fields(session: Session, report: Report) -> dict[str, str]:
    contact = contact_shared_with_party(session, report)
    if contact is None:
        return {}
    fields: dict[str, str] = {}
    if contact.email:
        fields["email"] = contact.email
    if contact.phone:
        fields["phone"] = contact.phone
    if contact.name:
        first, _, last = contact.name.strip().partition(" ")
        fields["first_name"] = first
        if last.strip():
            fields["last_name"] = last.strip()
    return fields

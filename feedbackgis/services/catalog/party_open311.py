"""A party's own Open311 system: where its reports are sent (services/open311/sending.py),
with which key and jurisdiction, and which of its service codes stands for each category.

The key is sent as it is, so it is kept as it is; it is write-only here: an empty key keeps
the one set, `clear_key` removes it, and the audit trail says only whether one is set (or was
replaced), never the key. The URL in the trail has no credentials and no query.

Another URL is another system: its ids are not the old system's, so the deliveries sent to
the old one lose their service_request_id and token (kept in last_error, "sent to the
previous system"), and the pull, which matches updates by those ids, never applies the new
system's update to the report that had that id in the old one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from feedbackgis.errors import InvalidInput
from feedbackgis.models import Category, Party
from feedbackgis.models.open311 import Open311Delivery
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change
from feedbackgis.services.contractor_api.webhooks import checked_webhook_url, recorded_url

VALUE_MAX_LENGTH = 200  # the key, the jurisdiction and each service code (models/party.py)


@dataclass(frozen=True)
class Open311Settings:
    url: str | None  # None: reports are not sent to an Open311 system
    api_key: str | None = None  # None or "": keep the key set
    clear_key: bool = False
    jurisdiction_id: str | None = None
    service_codes: dict[str, str] | None = None  # None keeps them


def parse_service_codes(text: str) -> dict[str, str]:
    """Lines "our_code=their_code" as a mapping; a line without "=" is refused."""
    codes: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        ours, equals, theirs = line.partition("=")
        if not equals or not ours.strip() or not theirs.strip():
            raise InvalidInput(f"Line {number}: write our category code, '=', and the "
                               "service code of the party's system.",
                               field="open311_service_codes")
        codes[ours.strip()] = theirs.strip()
    return codes


def set_party_open311(session: Session, party: Party, settings: Open311Settings, *,
                      actor: ChangeActor = SYSTEM) -> Party:
    """Change the party's Open311 endpoint; commits, with the change in the audit trail."""
    before = audited_open311(party)
    url = _checked_url(settings.url)
    if url != party.open311_url:
        party.open311_updates_until = None  # another system: its updates start afresh
        if party.open311_url is not None:
            _unmatch_old_deliveries(session, party)
    party.open311_url = url
    replaced = False
    if settings.clear_key:
        party.open311_api_key = None
    elif settings.api_key and settings.api_key.strip():
        replaced = party.open311_api_key is not None
        party.open311_api_key = _checked_value(settings.api_key, "open311_api_key")
    party.open311_jurisdiction_id = (
        _checked_value(settings.jurisdiction_id, "open311_jurisdiction_id")
        if settings.jurisdiction_id and settings.jurisdiction_id.strip() else None)
    if settings.service_codes is not None:
        party.open311_service_codes = _checked_codes(session, settings.service_codes)
    record_change(session, actor, Entity.PARTY, party.id, "open311", before,
                  audited_open311(party, key_replaced=replaced))
    session.commit()
    return party


def _unmatch_old_deliveries(session: Session, party: Party) -> None:
    old = audited_open311(party)["open311_url"]
    for delivery in session.scalars(select(Open311Delivery).where(
            Open311Delivery.party_id == party.id,
            or_(Open311Delivery.service_request_id.is_not(None),
                Open311Delivery.token.is_not(None)))):
        known = (f"request {delivery.service_request_id}" if delivery.service_request_id
                 else f"token {delivery.token}")
        delivery.last_error = f"Sent to the previous system ({old}) as {known}"
        delivery.service_request_id = delivery.token = None


def audited_open311(party: Party, *, key_replaced: bool = False) -> dict[str, Any]:
    key = None if party.open311_api_key is None else ("replaced" if key_replaced else "set")
    return {"open311_url": recorded_url(party.open311_url), "open311_api_key": key,
            "open311_jurisdiction_id": party.open311_jurisdiction_id,
            "open311_service_codes": dict(party.open311_service_codes or {})}


def _checked_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    try:
        return checked_webhook_url(url).rstrip("/")
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="open311_url") from None


def _checked_value(value: str, field: str) -> str:
    cleaned = value.strip()
    if len(cleaned) > VALUE_MAX_LENGTH or any(ord(ch) < 32 or ch == "\x7f" for ch in cleaned):
        raise InvalidInput(f"At most {VALUE_MAX_LENGTH} characters, without control "
                           "characters.", field=field)
    return cleaned


def _checked_codes(session: Session, codes: dict[str, str]) -> dict[str, str]:
    known = set(session.scalars(select(Category.code).where(Category.code.in_(list(codes)))))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise InvalidInput(f"No category with the code {', '.join(unknown)}.",
                           field="open311_service_codes")
    return {ours: _checked_value(theirs, "open311_service_codes")
            for ours, theirs in sorted(codes.items())}

"""A party's webhook: its system is told when a work order comes to it and when one changes
in public (a status, a reply to the resident).

Each delivery is a POST of a JSON body, signed with the party's secret:
`X-Feedbackgis-Signature: sha256=<hex HMAC-SHA256 over "<timestamp>.<body>">`, the
timestamp (Unix seconds) in `X-Feedbackgis-Timestamp`, so that a receiver can refuse old
or replayed requests. `X-Feedbackgis-Delivery` is the same on every attempt of one
delivery: a receiver that saw it already ignores the copy. The jobs send it with the
retry policy of every job (JOB_RETRY_INTERVALS); any answer but a 2xx is a failure (a
redirect is not followed: the URL is the one the admin set). The body holds what the
public may know of the report and, only where its category shares it with the party, the
reporter's contact. Nothing here logs the URL or the secret.
"""
from __future__ import annotations

import enum
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.errors import InvalidInput
from feedbackgis.models import EventKind, Party, Report, ReportEvent
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change
from feedbackgis.services.notifications.report_notifications import contact_shared_with_party

log = logging.getLogger(__name__)

URL_MAX_LENGTH = 2000
SECRET_PREFIX = "fgw_"  # noqa: S105 - a prefix, not a secret
SCHEMES = ("http", "https")
USER_AGENT = "feedbackgis-webhook/1"
# Delivery ids: a UUID derived from the outbox row and the party, the same on every attempt.
DELIVERY_NAMESPACE = uuid.UUID("5b0f8c52-3f6e-4d39-9a57-8e1c2f7b6a10")
WORK_ORDER_PATH = "/api/v1/work-orders/{id}"  # the API resource of a work order (api/)


class WebhookEvent(enum.StrEnum):
    ASSIGNED = "work_order.assigned"
    STATUS_CHANGED = "work_order.status_changed"
    REPLIED = "work_order.replied"


class WebhookFailed(Exception):
    """The receiver did not take the delivery. The text names the party and the answer's
    status (or the error's kind), never the URL: it ends up in logs and the failed-job list."""


@dataclass(frozen=True)
class WebhookSettings:
    base_url: str  # PUBLIC_BASE_URL: the body links the work order's API resource
    language: str  # DEFAULT_LANGUAGE: of the category's name
    timeout: float  # seconds, to connect and to read the answer

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebhookSettings:
        return cls(base_url=config["PUBLIC_BASE_URL"].rstrip("/"),
                   language=config.get("DEFAULT_LANGUAGE", "fi"),
                   timeout=float(config.get("WEBHOOK_TIMEOUT", 5)))


def checked_webhook_url(url: str) -> str:
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if (len(cleaned) > URL_MAX_LENGTH or parts.scheme not in SCHEMES or not parts.hostname
            or any(ch.isspace() or ord(ch) < 32 for ch in cleaned)):
        raise InvalidInput(f"Give an http:// or https:// URL of at most {URL_MAX_LENGTH} "
                           "characters (or 'none').", field="webhook_url")
    return cleaned


def set_webhook(session: Session, party: Party, url: str | None, *,
                actor: ChangeActor = SYSTEM) -> str | None:
    """Set the party's webhook to `url` with a new secret, returned (to show once); None
    clears both. Commits; the audit trail keeps the URL without credentials or query."""
    before = _audited(party)
    if url is None:
        party.webhook_url = party.webhook_secret = None
    else:
        party.webhook_url = checked_webhook_url(url)
        party.webhook_secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    after = _audited(party, renewed=url is not None)
    record_change(session, actor, Entity.PARTY, party.id, "webhook", before, after)
    session.commit()
    return party.webhook_secret


def recorded_url(url: str | None) -> str | None:
    """A party system's URL as the audit trail and error texts may show it: without the
    credentials, query or fragment it may carry."""
    if not url:
        return None
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


def _audited(party: Party, *, renewed: bool = False) -> dict[str, Any]:
    secret = None if party.webhook_secret is None else ("renewed" if renewed else "set")
    return {"webhook_url": recorded_url(party.webhook_url), "webhook_secret": secret}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def delivery_id(outbox_id: int, party_id: int) -> str:
    return str(uuid.uuid5(DELIVERY_NAMESPACE, f"{outbox_id}:{party_id}"))


def send_assignment(session: Session, settings: WebhookSettings, *, report_id: int,
                    party_id: int, outbox_id: int) -> bool:
    """Tell the party's system that the report is its work order now; True if sent."""
    report = session.get(Report, report_id)
    # Reassigned since: the new party's own delivery tells the new party.
    if report is None or report.assigned_party_id != party_id:
        return False
    change = {"kind": EventKind.ASSIGNED.value, "at": _iso(report.updated_at)}
    return _deliver(session, settings, report, party_id, WebhookEvent.ASSIGNED, change,
                    delivery_id(outbox_id, party_id))


def send_update(session: Session, settings: WebhookSettings, *, report_id: int,
                event_id: int, outbox_id: int) -> bool:
    """Tell the system of the party holding the report (or holding it until this change
    sent it back to triage) of a public change; True if sent."""
    report = session.get(Report, report_id)
    event = session.get(ReportEvent, event_id)
    if report is None or event is None or event.report_id != report_id or not event.is_public:
        return False
    cleared = (event.data or {}).get("cleared_assignment") or {}
    party_id = cleared.get("party_id") or report.assigned_party_id
    if party_id is None or (not cleared and _given_away_since(session, report.id, event.id)):
        return False
    kind = WebhookEvent.REPLIED if event.kind is EventKind.REPLY else WebhookEvent.STATUS_CHANGED
    change = {"kind": event.kind.value, "from_status": _value(event.from_status),
              "to_status": _value(event.to_status), "note": event.note,
              "at": _iso(event.created_at)}
    return _deliver(session, settings, report, party_id, kind, change,
                    delivery_id(outbox_id, party_id))


def _given_away_since(session: Session, report_id: int, event_id: int) -> bool:
    """Whether the report was assigned again after the event: the party holding it now is
    not the one whose work order changed, and the old one holds it no more."""
    return session.scalar(select(ReportEvent.id).where(
        ReportEvent.report_id == report_id, ReportEvent.id > event_id,
        ReportEvent.kind.in_([EventKind.ASSIGNED, EventKind.TRIAGED])).limit(1)) is not None


def _deliver(session: Session, settings: WebhookSettings, report: Report, party_id: int,
             event: WebhookEvent, change: dict[str, Any], delivery: str) -> bool:
    party = session.get(Party, party_id)
    if party is None or not party.webhook_url or not party.webhook_secret:
        return False
    url, secret = party.webhook_url, party.webhook_secret
    body = json.dumps({"event": event.value, "delivery_id": delivery,
                       **webhook_facts(session, settings, report), "change": change},
                      ensure_ascii=False, separators=(",", ":")).encode()
    session.rollback()  # no transaction stays open while the receiver answers
    if urlsplit(url).scheme not in SCHEMES:
        log.warning("Webhook of party %s not sent: not an http(s) URL", party_id)
        return False
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               "X-Feedbackgis-Event": event.value, "X-Feedbackgis-Delivery": delivery,
               "X-Feedbackgis-Timestamp": timestamp,
               "X-Feedbackgis-Signature": signature(secret, timestamp, body)}
    try:
        answer = requests.post(url, data=body, headers=headers, timeout=settings.timeout,
                               allow_redirects=False)
    except requests.RequestException as exc:
        raise WebhookFailed(f"Webhook of party {party_id} not delivered: "
                            f"{type(exc).__name__}") from None
    if not 200 <= answer.status_code < 300:
        raise WebhookFailed(f"Webhook of party {party_id} not delivered: HTTP "
                            f"{answer.status_code}")
    return True


def webhook_facts(session: Session, settings: WebhookSettings, report: Report) -> dict[str, Any]:
    """What a delivery says of the report: its public facts, and the reporter's contact
    only where the category shares it with the party."""
    point = to_shape(report.location) if report.location is not None else None
    facts: dict[str, Any] = {
        "report_id": report.id, "status": report.status.value,
        "updated_at": _iso(report.updated_at),
        "url": settings.base_url + WORK_ORDER_PATH.format(id=report.id),
        "work_order": {
            "category": {"code": report.category.code,
                         "name": report.category.name(settings.language)},
            "location": {"lon": round(point.x, 7), "lat": round(point.y, 7)} if point else None,
            "address": report.address, "description": report.public_text,
            "created_at": _iso(report.created_at), "due_at": _iso(report.due_at),
        },
    }
    contact = contact_shared_with_party(session, report)
    if contact is not None:
        facts["contact"] = asdict(contact)
    return facts


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _value(status: Any) -> str | None:
    return status.value if status is not None else None

"""A client system's service request (GeoReport v2 POST requests) as a report, and its token.

The report is made by submit_report, as any resident's, and at once: the answer carries
its service_request_id, and a token too (tokens/{token} finds the id again). Decisions:

- An unknown or retired `service_code` is a 400 naming it: a parameter is wrong (a 404 is
  for what a path names, as services/{code} does).
- `description` is optional in the spec, but a report needs a text: a request without one
  gets the service's name (in the request's locale) as its text.
- `address_id`: we keep no address register, so its value becomes the report's address
  text, marked "address_id: ..." (after address_string, when both are sent), for staff to
  pin the report on the map.
- Contact: first_name + last_name are the contact's name, with email and phone. They are
  the reporter's own, given through the client, and kept apart from the report as any
  reporter's contact (never in a response). `consent` (to be contacted about the report)
  is true only when the client sends `consent=true`: a client that sends a contact has not
  thereby told us its user agreed to more than getting news of this report.
- The rows of the client's request (Open311Submission: key, token, device_id, account_id,
  media_url) and the media fetch's outbox row commit with the report, or nothing does.
"""
from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.figures import Device
from feedbackgis.domain.publication import PublishPolicy
from feedbackgis.domain.questions import QuestionKind
from feedbackgis.errors import InvalidInput, NotFound
from feedbackgis.models import ApiKey, Category, Open311Submission, OutboxTopic, Report
from feedbackgis.repositories.open311 import active_category
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.reports.idempotency import IdempotencyKey
from feedbackgis.services.reports.submission import Contact, NewReport, submit_report

TOKEN_BYTES = 32  # 43 characters: open311_submission.token holds 64
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
INTEGER = re.compile(r"[+-]?[0-9]{1,15}")
# submit_report's names of what it refuses, as the spec's parameters.
PARAMETERS = {"category": "service_code", "location.lon": "long", "location.lat": "lat"}


@dataclass(frozen=True)
class RequestPost:
    """A client system's service request, as read from its form."""

    service_code: str
    language: str
    description: str | None = None
    lon: float | None = None
    lat: float | None = None
    address_string: str | None = None
    address_id: str | None = None
    contact: Contact | None = None
    attributes: dict[str, str] = field(default_factory=dict)  # {question code: text}
    device_id: str | None = None
    account_id: str | None = None
    media_url: str | None = None


@dataclass(frozen=True)
class CreatedRequest:
    report_id: int
    token: str
    service_notice: str
    account_id: str | None
    replayed: bool

    def view(self) -> dict[str, Any]:
        return {"service_request_id": str(self.report_id), "token": self.token,
                "service_notice": self.service_notice, "account_id": self.account_id}


def submit_service_request(session: Session, post: RequestPost, api_key: ApiKey, *,
                           secret_key: str, time_zone: str,
                           idempotency: IdempotencyKey | None = None) -> CreatedRequest:
    """Store the request as a report (routed, with its side effects) and the client's record
    of it; commits. InvalidInput names the spec's parameter (service_code, attribute[code]..)."""
    category = _category(session, post.service_code)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    api_key_id = api_key.id

    def record_client_request(session: Session, report: Report) -> None:
        session.add(Open311Submission(
            report_id=report.id, api_key_id=api_key_id, token=token, device_id=post.device_id,
            account_id=post.account_id, media_url=post.media_url))
        if post.media_url is not None:
            record_side_effect(session, OutboxTopic.OPEN311_MEDIA_SUBMITTED, report_id=report.id)

    try:
        submitted = submit_report(
            session, _new_report(post, category), secret_key=secret_key, time_zone=time_zone,
            idempotency=idempotency, along=record_client_request, category=category)
    except InvalidInput as refused:
        raise _as_parameters(refused) from None
    report = submitted.report
    if submitted.replayed:
        token = session.scalar(select(Open311Submission.token)
                               .where(Open311Submission.report_id == report.id)) or ""
    receipt = submitted.receipt  # as it was at submission, for a replay too
    waits = not receipt.public and category.publish_policy is not PublishPolicy.NEVER
    return CreatedRequest(report_id=report.id, token=token, replayed=submitted.replayed,
                          service_notice=service_notice(receipt.assigned_to, waits,
                                                        post.language),
                          account_id=post.account_id)


def _category(session: Session, code: str) -> Category:
    category = active_category(session, code) if code.isprintable() else None
    if category is None:
        raise InvalidInput(f"No service with service_code {code} (see services.xml).",
                           field="service_code")
    return category


def client_address(address_string: str | None, address_id: str | None) -> str | None:
    """The report's address text of a request's address_string and address_id (the form's
    schema refuses a pair whose text is longer than a report's address)."""
    if address_id is None:
        return address_string
    marked = f"address_id: {address_id}"
    return f"{address_string} ({marked})" if address_string else marked


def _new_report(post: RequestPost, category: Category) -> NewReport:
    address = client_address(post.address_string, post.address_id)
    return NewReport(
        category=category.code, description=post.description or category.name(post.language),
        lon=post.lon, lat=post.lat, address=address, language=post.language,
        contact=post.contact, answers=typed_answers(category, post.attributes),
        submitted_from=Device.SYSTEM.value)


def typed_answers(category: Category, attributes: dict[str, str]) -> dict[str, Any]:
    """Attribute values (always text in a form) as the answers' types: yes/no `true` and
    `false` as booleans, numbers as numbers. A value that is none of these stays text, for
    the answers' own check to refuse with its reason."""
    kinds = {question.code: QuestionKind(question.kind)
             for question in category.active_questions}
    return {code: _typed(kinds.get(code), value) for code, value in attributes.items()}


def _typed(kind: QuestionKind | None, value: str) -> Any:
    if kind is QuestionKind.YESNO:
        return {"true": True, "false": False}.get(value, value)
    if kind is QuestionKind.NUMBER:
        if INTEGER.fullmatch(value):
            return int(value)
        try:
            number = float(value)
        except ValueError:
            return value
        return number if math.isfinite(number) else value
    return value


def _as_parameters(refused: InvalidInput) -> InvalidInput:
    fields = refused.fields or ({refused.field: [refused.message]} if refused.field else {})
    if not fields:
        return refused
    renamed = {_parameter(name): messages for name, messages in fields.items()}
    text = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in renamed.items())
    return InvalidInput(text, fields=renamed)


def _parameter(name: str) -> str:
    if name.startswith("answers."):
        return f"attribute[{name.removeprefix('answers.')}]"
    return PARAMETERS.get(name, name)


def service_notice(assigned_to: str | None, waits_for_moderation: bool, language: str) -> str:
    """The receipt in the request's language: who handles it, and whether the public map
    waits for a moderator."""
    with force_locale(language):
        parts = [gettext("Thank you for your report! We have received it and it goes to "
                         "whoever deals with the matter.")]
        if assigned_to is not None:
            parts.append(f"{gettext('Handled by')}: {assigned_to}.")
        if waits_for_moderation:
            parts.append(gettext("The report is not shown on the public map until it has "
                                 "been checked."))
    return " ".join(parts)


def request_of_token(session: Session, token: str) -> dict[str, str]:
    """tokens/{token}: the id of the request the token was given for, and nothing else."""
    report_id = (session.scalar(select(Open311Submission.report_id)
                                .where(Open311Submission.token == token))
                 if TOKEN_PATTERN.fullmatch(token) else None)
    if report_id is None:
        raise NotFound(f"No service request with token {token}.")
    return {"service_request_id": str(report_id), "token": token}

"""submit_report: store a resident's report, route it, record its side effects."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.coordinates import CoordinateError, check_lon_lat
from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.personal_data import has_personal_data
from feedbackgis.domain.publication import needs_moderation, public_on_submission
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.tokens import FOLLOW_UP, derive_token, hash_token, new_nonce
from feedbackgis.errors import InvalidInput, NotFound
from feedbackgis.geo.convert import point, to_db
from feedbackgis.models import (
    Category,
    EventKind,
    IdempotentRequest,
    OutboxTopic,
    Report,
    ReporterContact,
    ReportEvent,
)
from feedbackgis.repositories.new_reports import insert_new_report
from feedbackgis.repositories.zones import service_area_covers
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.photos.attaching import attach_photos
from feedbackgis.services.reports.answers import checked_answers
from feedbackgis.services.reports.idempotency import IdempotencyKey, claim_key, record_outcome
from feedbackgis.services.reports.routing import record_assignment, route_new_report


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    consent: bool = False

    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone)

    def reaches_reporter(self) -> bool:
        """Whether it gives a way to contact the reporter (a name alone does not)."""
        return bool((self.email or "").strip() or (self.phone or "").strip())


@dataclass(frozen=True)
class NewReport:
    category: str
    description: str
    lon: float | None = None
    lat: float | None = None
    address: str | None = None
    language: str = "fi"
    contact: Contact | None = None
    # {question code: value}, checked against the category's questions by submit_report.
    answers: dict[str, Any] = field(default_factory=dict)
    # Upload tokens of photos sent beforehand (POST /api/v1/photos), in the order shown.
    photos: Sequence[str] = ()
    # How it travelled (the usage figures): the kind of device (domain/figures.Device,
    # from the User-Agent), and whether it waited on the device for a connection.
    submitted_from: str | None = None
    sent_offline: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "photos", tuple(self.photos))  # a list loaded, a tuple kept


@dataclass(frozen=True)
class Receipt:
    """What the submission's answer says, as it was at submission (a replay says the same)."""

    status: str
    assigned_to: str | None
    public: bool

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "assigned_to": self.assigned_to, "public": self.public}


@dataclass(frozen=True)
class SubmittedReport:
    report: Report
    receipt: Receipt
    follow_up_token: str  # shown to the reporter; only its hash is stored
    replayed: bool = False  # an earlier request with the same Idempotency-Key made it


CATEGORY_CODE_MAX_LENGTH = 64  # category.code


def active_category(session: Session, code: str) -> Category:
    if len(code) > CATEGORY_CODE_MAX_LENGTH or "\x00" in code:
        raise InvalidInput("Unknown category: no code is that long or holds a NUL character.",
                           field="category")
    category = session.scalar(select(Category).where(Category.code == code))
    if category is None:
        raise InvalidInput(f"Unknown category '{code}'.", field="category")
    if not category.active:
        raise InvalidInput(f"Category '{code}' is no longer in use.", field="category")
    return category


def check_location(session: Session, lon: float, lat: float) -> None:
    try:
        check_lon_lat(lon, lat)
    except CoordinateError as exc:
        raise InvalidInput(str(exc), field=f"location.{exc.field}") from exc
    if not service_area_covers(session, lon, lat):
        raise InvalidInput(
            "The location is outside the municipality's service area.", field="location"
        )


def follow_up_token(report: Report, secret_key: str) -> str:
    """The reporter's capability token, derived again whenever a link must be sent."""
    return derive_token(secret_key, FOLLOW_UP, report.follow_up_nonce)


def submit_report(
    session: Session, new: NewReport, *, secret_key: str, actor: str = "resident",
    idempotency: IdempotencyKey | None = None, time_zone: str = DEFAULT_TIME_ZONE,
    along: Callable[[Session, Report], None] | None = None, category: Category | None = None,
) -> SubmittedReport:
    """Store a resident's report, route it, and record the side effects; then commit.
    `time_zone` (config TIMEZONE) is the calendar its due date is counted in. `along` adds
    the caller's own rows of the report (e.g. an Open311 client's record of it) to the same
    transaction, so that neither is ever stored without the other. `category`: the active
    category `new.category` names, when the caller has read it already (not read again).

    With an idempotency key that an earlier request holds, nothing new is stored: the
    earlier report comes back with its receipt and the same follow-up token.
    """
    if idempotency is not None:
        earlier = claim_key(session, idempotency, datetime.now(UTC))
        if earlier is not None:
            session.rollback()
            return _replay(session, earlier, secret_key)
    if category is None or category.code != new.category:
        category = active_category(session, new.category)
    answers = checked_answers(category, new.answers)
    has_point = new.lon is not None and new.lat is not None
    if has_point:
        check_location(session, new.lon, new.lat)
    elif not (new.address and new.address.strip()):
        raise InvalidInput("Give a location or an address.", field="location")

    nonce = new_nonce()
    token = derive_token(secret_key, FOLLOW_UP, nonce)
    flagged = has_personal_data(new.description) or has_personal_data(new.address or "")
    public = public_on_submission(category.publish_policy, personal_data_found=flagged)
    report = Report(
        category=category,
        category_id=category.id,
        location=to_db(point(new.lon, new.lat)) if has_point else None,
        address=new.address.strip() if new.address else None,
        description=new.description.strip(),
        language=new.language,
        answers=answers,
        status=ReportStatus.RECEIVED,
        is_public=public,
        published_at=func.now() if public else None,
        moderation_pending=needs_moderation(category.publish_policy, personal_data_found=flagged),
        follow_up_nonce=nonce,
        follow_up_token_hash=hash_token(token),
        submitted_from=new.submitted_from,
        sent_offline=new.sent_offline,
        with_contact=new.contact is not None and new.contact.reaches_reporter(),
    )
    submitted_event = ReportEvent(kind=EventKind.SUBMITTED, actor=actor,
                                  to_status=ReportStatus.RECEIVED, is_public=True)
    # Routed before it is stored: the report is written once, with both events.
    routing = route_new_report(session, report, category,
                               (new.lon, new.lat) if has_point else None,
                               at=datetime.now(UTC), time_zone=time_zone)
    insert_new_report(session, report, [submitted_event, routing.event])
    attach_photos(session, report, new.photos)
    if new.contact is not None and not new.contact.is_empty():
        session.add(ReporterContact(report_id=report.id, **new.contact.__dict__))
    record_assignment(session, report, routing.decision)
    record_side_effect(session, OutboxTopic.REPORT_SUBMITTED, report_id=report.id)
    if along is not None:
        along(session, report)
    receipt = Receipt(status=report.status.value, public=report.is_public,
                      assigned_to=routing.party_name)
    if idempotency is not None:
        record_outcome(session, idempotency, report.id, receipt.as_dict())
    session.commit()
    return SubmittedReport(report=report, receipt=receipt, follow_up_token=token)


def _replay(session: Session, earlier: IdempotentRequest, secret_key: str) -> SubmittedReport:
    report = session.get(Report, earlier.report_id)
    if report is None:  # the claim and the report commit together, so this cannot be
        raise NotFound("The report this Idempotency-Key created no longer exists.")
    return SubmittedReport(report=report, receipt=Receipt(**earlier.response),
                           follow_up_token=follow_up_token(report, secret_key), replayed=True)

"""The answers to "is it fixed?", through the capability links of the question email.

A link names its respondent (the reporter by report id, a follower by follower id) and
carries a token derived from the secret key and that row's nonce with the purpose
FIX_CHECK (domain/tokens.py): the reporter's from the follow-up nonce, a follower's from
their token nonce. Nothing new is stored; a wrong token is NotFound, as an unknown id.

Only a check still open takes an answer (domain/fix_check.py): the first one ends it.
"Yes" closes the report (FIX_CONFIRMED, public); "no" reopens it to the same party
(REOPENED, public; the resident's words and photo only for staff and the party), with a new
due date and work-order link, and counts against the party (report.reopen_count).
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.fix_check import (
    EVENT_KIND_OF,
    FOLLOWER,
    NOT_FIXED_TEXT_MAX_LENGTH,
    REPORTER,
    STATUS_AFTER,
    Answer,
    QuestionState,
    Respondent,
    question_state,
    their_answer,
)
from feedbackgis.domain.limits import REPORT_PHOTOS_MAX
from feedbackgis.domain.statuses import check_transition
from feedbackgis.domain.tokens import FIX_CHECK, derive_token, new_nonce
from feedbackgis.errors import InvalidInput, NotFound
from feedbackgis.media import PhotoLimits, PhotoStorage
from feedbackgis.models import (
    EventKind,
    OutboxTopic,
    Photo,
    PhotoKind,
    Report,
    ReportEvent,
    ReportFollower,
)
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.photos.uploads import upload_photo
from feedbackgis.services.reports.due_dates import set_due_date

TOKEN_MAX_LENGTH = 100  # tokens are 43 characters
TOPIC_OF = {Answer.FIXED: OutboxTopic.REPORT_FIX_CONFIRMED,
            Answer.NOT_FIXED: OutboxTopic.REPORT_REOPENED}


@dataclass(frozen=True)
class AnswerLink:
    """What the link in the email names: REPORTER and a report id, or FOLLOWER and a
    follower id; and the token."""

    kind: str
    row_id: int
    token: str


@dataclass(frozen=True)
class Question:
    report: Report
    respondent: Respondent
    state: QuestionState
    answer: Answer | None  # theirs, when it ended the latest check
    language: str  # the respondent's


@dataclass(frozen=True)
class PhotoUpload:
    data: bytes
    storage: PhotoStorage
    limits: PhotoLimits


def fix_check_token(secret_key: str, nonce: str) -> str:
    return derive_token(secret_key, FIX_CHECK, nonce)


def find_question(session: Session, secret_key: str, link: AnswerLink,
                  now: datetime | None = None, *, lock: bool = False) -> Question:
    """The question the link asks and whether its respondent may answer it now; NotFound
    for a link that is not valid (an unknown id, a wrong token, an unconfirmed follower).
    `lock`: the report's row is locked (and read again) for an answer."""
    locking = {"with_for_update": {"of": Report}, "populate_existing": True} if lock else {}
    finder = _FINDERS.get(link.kind)
    found = finder(session, link.row_id, locking) if finder is not None else None
    if found is None or not _token_is(link.token, secret_key, found.nonce):
        raise NotFound("This link is not valid.")
    report = found.report
    answer = their_answer(((event.kind, event.data or {}) for event in report.events),
                          found.respondent)
    state = question_state(report.status, report.fix_check_until, now or datetime.now(UTC),
                           answer)
    return Question(report=report, respondent=found.respondent, state=state, answer=answer,
                    language=found.language)


@dataclass(frozen=True)
class _Found:
    report: Report
    respondent: Respondent
    nonce: str  # the row's, that the link's token derives from
    language: str


def _as_reporter(session: Session, report_id: int, locking: dict) -> _Found | None:
    report = session.get(Report, report_id, **locking)
    if report is None:
        return None
    return _Found(report, Respondent(REPORTER), report.follow_up_nonce, report.language)


def _as_follower(session: Session, follower_id: int, locking: dict) -> _Found | None:
    # An unconfirmed follower was never asked (nor told anything else).
    follower = session.get(ReportFollower, follower_id)
    if follower is None or follower.confirmed_at is None:
        return None
    report = session.get(Report, follower.report_id, **locking)
    # Followers are asked only while the report is public, and answer only then.
    if report is None or not report.is_public:
        return None
    return _Found(report, Respondent(FOLLOWER, follower.id), follower.token_nonce,
                  follower.language)


_FINDERS = {REPORTER: _as_reporter, FOLLOWER: _as_follower}


def _token_is(token: str, secret_key: str, nonce: str) -> bool:
    if not token or len(token) > TOKEN_MAX_LENGTH or not token.isascii():
        return False
    return hmac.compare_digest(token.encode(), fix_check_token(secret_key, nonce).encode())


def answer_fixed(session: Session, secret_key: str, link: AnswerLink,
                 now: datetime | None = None) -> Question:
    """"Yes, it is fixed": the check ends and the report is closed; commits. A question not
    open (answered, ended) is returned as it is, with nothing changed."""
    question = find_question(session, secret_key, link, now, lock=True)
    if question.state is not QuestionState.OPEN:
        session.rollback()
        return question
    report = question.report
    _record_answer(session, report, question.respondent, Answer.FIXED, {})
    # Closed: the work-order link stops working (report.work_order_nonce).
    report.work_order_nonce = None
    session.commit()
    return find_question(session, secret_key, link, now)


def answer_not_fixed(session: Session, secret_key: str, link: AnswerLink, *,
                     text: str | None = None, photo: PhotoUpload | None = None,
                     now: datetime | None = None,
                     time_zone: str = DEFAULT_TIME_ZONE) -> Question:
    """"No, it is not fixed", with an optional line of text and photo: the report goes
    back to work with the same party; commits. InvalidInput (field `text`, or `file` for
    the photo) stores nothing. A question not open is returned as it is."""
    text = _checked_text(text)
    first = find_question(session, secret_key, link, now)
    if first.state is not QuestionState.OPEN:
        return first  # no photo is stored for a question that takes no answer
    # Stored first, in a transaction of its own; if the question closed meanwhile it stays
    # unattached, and the nightly pruning removes it.
    uploaded = (upload_photo(session, photo.storage, photo.data, photo.limits,
                             kind=PhotoKind.FOLLOW_UP) if photo is not None else None)
    question = find_question(session, secret_key, link, now, lock=True)
    if question.state is not QuestionState.OPEN:
        session.rollback()
        return question
    report = question.report
    details = {"party_id": report.assigned_party_id}
    if text:
        details["text"] = text
    if uploaded is not None:
        details["photo_id"] = _attach(session, report, uploaded.photo_id)
    _record_answer(session, report, question.respondent, Answer.NOT_FIXED, details)
    _reopen(session, report, now or datetime.now(UTC), time_zone)
    session.commit()
    return find_question(session, secret_key, link, now)


def _checked_text(text: str | None) -> str | None:
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if "\x00" in cleaned:
        raise InvalidInput("The text holds a NUL character; remove it.", field="text")
    if len(cleaned) > NOT_FIXED_TEXT_MAX_LENGTH:
        raise InvalidInput(f"At most {NOT_FIXED_TEXT_MAX_LENGTH} characters.", field="text")
    return cleaned


def _record_answer(session: Session, report: Report, respondent: Respondent, answer: Answer,
                   details: dict[str, object]) -> ReportEvent:
    target = STATUS_AFTER[answer]
    check_transition(report.status, target)
    # Public, as any change of status; the resident's words and photo stay in data, which
    # no public page or API shows.
    event = ReportEvent(kind=EventKind(EVENT_KIND_OF[answer]), actor=respondent.kind,
                        from_status=report.status, to_status=target, is_public=True,
                        data={**respondent.as_data(), **details})
    report.status = target
    report.fix_check_until = None
    report.events.append(event)
    session.flush()
    record_side_effect(session, TOPIC_OF[answer], report_id=report.id, event_id=event.id)
    return event


def _reopen(session: Session, report: Report, now: datetime, time_zone: str) -> None:
    """Back to the same party: counted against it, due again after a full handling time
    (escalation from the start), and a new work-order link for the email it gets."""
    report.reopen_count += 1
    report.work_order_nonce = new_nonce()
    if report.assigned_party_id is not None:
        set_due_date(session, report, now, time_zone=time_zone)


def _attach(session: Session, report: Report, photo_id: int) -> int:
    """The answer's photo as one more of the report's later photos (after the reporter's)."""
    later = session.scalar(select(func.count()).select_from(Photo).where(
        Photo.report_id == report.id, Photo.kind == PhotoKind.FOLLOW_UP)) or 0
    photo = session.get(Photo, photo_id)
    photo.report_id, photo.position = report.id, REPORT_PHOTOS_MAX + later
    return photo.id

"""Composing each kind of notification email from plain facts about a report.

The facts are read from the database before sending starts and hold no ORM objects, so a
composer works the same after deliver_once has committed (and expired the session) and can
be tested without a database. Who may see what is decided by what the caller passes in:
only the party's composer takes the reporter's contact at all.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from geoalchemy2.shape import to_shape

from feedbackgis.domain.questions import QuestionKind
from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.links import openstreetmap_url
from feedbackgis.mail.message import Attachment, OutgoingEmail, unsubscribe_headers
from feedbackgis.mail.render import render_email, shorten
from feedbackgis.mail.translation import mail_texts
from feedbackgis.models import Report, ReportEvent

# Addresses may be long (500 characters); the subject must still end with the report's id.
PLACE_IN_SUBJECT = 60


@dataclass(frozen=True)
class ReportFacts:
    """What an email may say about a report, in one language; never who reported it."""

    language: str
    id: int
    category: str
    status: str  # the current status in words
    place: str  # short, for subjects: the address, else the coordinates
    place_in_full: str  # the address and the coordinates when both are known
    map_url: str | None
    description: str


@dataclass(frozen=True)
class UpdateFacts:
    status: str | None  # the new status in words; None for a reply that changes no status
    note: str | None  # the answer to the resident
    closes: bool


@dataclass(frozen=True)
class SharedContact:
    """The reporter's contact details that a party may receive; unset fields are None."""

    name: str | None
    email: str | None
    phone: str | None


def mail_language(preferred: str | None, default: str) -> str:
    return preferred if preferred in LANGUAGES else default


def report_facts(report: Report, language: str) -> ReportFacts:
    coordinates = map_url = None
    if report.location is not None:
        point = to_shape(report.location)
        # People read latitude first (as map apps show it); the code keeps lon, lat.
        coordinates = f"{point.y:.5f}, {point.x:.5f}"
        map_url = openstreetmap_url(point.x, point.y)
    texts = mail_texts(language)
    place = report.address or coordinates or texts.pgettext("place", "unknown")
    in_full = f"{report.address} ({coordinates})" if report.address and coordinates else place
    return ReportFacts(
        language=language, id=report.id, category=report.category.name(language),
        status=texts.status_name(report.status), place=shorten(place, PLACE_IN_SUBJECT),
        place_in_full=in_full,
        map_url=map_url, description=report.description,
    )


def update_facts(event: ReportEvent, language: str) -> UpdateFacts:
    texts = mail_texts(language)
    status = texts.status_name(event.to_status) if event.to_status is not None else None
    note = event.note.strip() if event.note and event.note.strip() else None
    # The report is dealt with when it leaves the open statuses (fixed, not ours, rejected):
    # closing a fixed report after the check is not news again.
    closes = (event.to_status is not None and event.to_status not in OPEN_STATUSES
              and event.from_status in OPEN_STATUSES)
    return UpdateFacts(status=status, note=note, closes=closes)


def _email(template: str, report: ReportFacts, to: str, **context: object) -> OutgoingEmail:
    subject, text, html = render_email(template, report.language, report=report, **context)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html, language=report.language)


def answer_lines(report: Report, language: str) -> tuple[tuple[str, str], ...]:
    """The report's answers to its category's questions as (prompt, answer) in `language`,
    free text included: for the staff's work order, not for the public."""
    texts = mail_texts(language)
    lines = []
    for question in report.category.questions:
        if question.code not in report.answers:
            continue
        value = report.answers[question.code]
        if question.kind is QuestionKind.CHOICE:
            shown = question.option_label(value, language) or str(value)
        elif question.kind is QuestionKind.YESNO:
            shown = texts.gettext("Yes") if value else texts.gettext("No")
        else:
            shown = str(value)
        lines.append((question.prompt(language), shown))
    return tuple(lines)


def compose_party_assignment(
    report: ReportFacts, *, to: str, work_order_url: str, reporter: SharedContact | None = None,
    attachments: Sequence[Attachment] = (), answers: Sequence[tuple[str, str]] = (),
    work_order_link: str | None = None,
) -> OutgoingEmail:
    """The work order for the responsible party. Pass `reporter` only when the report's
    category allows sharing the contact with the party, and `work_order_link` (the work
    order without an account) only to a contractor the report is assigned to."""
    email = _email("party_assigned", report, to, reporter=reporter, answers=answers,
                   work_order_url=work_order_url, photo_count=len(attachments),
                   work_order_link=work_order_link)
    return replace(email, attachments=tuple(attachments))


def compose_reporter_submission(report: ReportFacts, *, to: str,
                                follow_up_url: str) -> OutgoingEmail:
    return _email("reporter_submitted", report, to, status=report.status,
                  follow_up_url=follow_up_url)


def compose_reporter_update(report: ReportFacts, update: UpdateFacts, *, to: str,
                            follow_up_url: str) -> OutgoingEmail:
    """A public status change or reply; closing gets its own message with a thank-you."""
    template = "reporter_closed" if update.closes else "reporter_update"
    return _email(template, report, to, update=update, follow_up_url=follow_up_url)


def compose_follower_update(report: ReportFacts, update: UpdateFacts, *, to: str,
                            unsubscribe_url: str) -> OutgoingEmail:
    email = _email("follower_update", report, to, update=update,
                   unsubscribe_url=unsubscribe_url)
    return replace(email, headers=unsubscribe_headers(unsubscribe_url))


def compose_merge_notice(original: ReportFacts, *, duplicate_id: int, to: str,
                         original_url: str | None, follow_up_url: str | None = None,
                         unsubscribe_url: str | None = None) -> OutgoingEmail:
    """To the reporter (follow_up_url) or a follower of a report merged into `original`:
    from now on they hear of the original."""
    email = _email("report_merged", original, to, duplicate_id=duplicate_id,
                   original_url=original_url, follow_up_url=follow_up_url,
                   unsubscribe_url=unsubscribe_url)
    if unsubscribe_url is None:
        return email
    return replace(email, headers=unsubscribe_headers(unsubscribe_url))

"""Notification emails: what the background jobs call, one function per occasion.

Each function takes ids (a job may run long after the change, or twice), reads what is true
now, sends each email through deliver_once (so a retried job sends nothing twice) and returns
how many emails it sent now. Nobody to tell (an anonymous report, a party without addresses,
an internal event) is not an error: it returns 0.

Privacy: the reporter's contact reaches the responsible party only when the category allows
it (contact_shared_with_party); reporter-facing and follower-facing mail never carries it,
and followers never get the reporter's follow-up link.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.compose import (
    SharedContact,
    answer_lines,
    compose_follower_update,
    compose_party_assignment,
    compose_reporter_submission,
    compose_reporter_update,
    mail_language,
    report_facts,
    update_facts,
)
from feedbackgis.mail.links import Links
from feedbackgis.mail.message import Attachment, OutgoingEmail
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.media import PhotoStorage
from feedbackgis.models import (
    EventKind,
    PartyKind,
    Report,
    ReporterContact,
    ReportEvent,
    ReportFollower,
)
from feedbackgis.services.notifications.delivery import deliver_once
from feedbackgis.services.photos.attachments import photo_attachments
from feedbackgis.services.reports.fix_check import starts_fix_check

# Notification.kind of each email, for the admin's view of what was sent.
PARTY_ASSIGNED = "party_assigned"
REPORTER_SUBMITTED = "reporter_submitted"
REPORTER_UPDATE = "reporter_update"
FOLLOWER_UPDATE = "follower_update"


def report_photo_attachments(session: Session, report: Report,
                             storage: PhotoStorage | None = None) -> list[Attachment]:
    """The report's photos as attachments for the party's work order email: the re-encoded
    copies (no EXIF, see DESIGN.md), never the originals; none without a storage."""
    if storage is None:
        return []
    return photo_attachments(session, storage, report)


def contact_shared_with_party(session: Session, report: Report) -> SharedContact | None:
    """The reporter's contact details for the responsible party, or None.

    The only place that reads ReporterContact for a party: without the category's
    permission it is not even loaded, so no email can hint that it exists.
    """
    if not report.category.share_contact_with_party:
        return None
    contact = session.get(ReporterContact, report.id)
    if contact is None:
        return None
    shared = SharedContact(name=contact.name or None, email=contact.email or None,
                           phone=contact.phone or None)
    return shared if (shared.name or shared.email or shared.phone) else None


def notify_party_of_assignment(session: Session, smtp: SmtpSettings, links: Links, *,
                               report_id: int, party_id: int, outbox_id: int,
                               photos: PhotoStorage | None = None) -> int:
    """The work order to every address of the party the report is assigned to, with the
    report's photos from `photos` attached."""
    report = session.get(Report, report_id)
    # Reassigned since the job was queued: the new party's own job tells the new party.
    if report is None or party_id is None or report.assigned_party_id != party_id:
        return 0
    language = mail_language(links.default_language, "fi")
    facts = report_facts(report, language)
    compose = partial(compose_party_assignment, facts, work_order_url=links.work_order(report),
                      work_order_link=_work_order_link(links, report),
                      reporter=contact_shared_with_party(session, report),
                      attachments=report_photo_attachments(session, report, photos),
                      answers=answer_lines(report, language))
    sent = 0
    for address in unique_addresses(report.assigned_party.emails):
        sent += _deliver(session, smtp, key=f"assigned:{outbox_id}:{address}",
                         kind=PARTY_ASSIGNED, to=address, language=language,
                         report_id=report_id, compose=partial(compose, to=address))
    return sent


def _work_order_link(links: Links, report: Report) -> str | None:
    """A contractor's work order opens without an account too (web/work/); a unit's staff
    sign in, so theirs carries the staff page's link only."""
    if report.assigned_party.kind is not PartyKind.CONTRACTOR:
        return None
    return links.work_order_link(report)


def notify_reporter_of_submission(session: Session, smtp: SmtpSettings, links: Links, *,
                                  report_id: int, outbox_id: int) -> int:
    """The confirmation with the follow-up link, to a reporter who left an email."""
    report = session.get(Report, report_id)
    address = _reporter_address(session, report)
    if report is None or address is None:
        return 0
    language = mail_language(report.language, links.default_language)
    compose = partial(compose_reporter_submission, report_facts(report, language), to=address,
                      follow_up_url=links.follow_up(report))
    return _deliver(session, smtp, key=f"submitted:{report_id}:{address}",
                    kind=REPORTER_SUBMITTED, to=address, language=language,
                    report_id=report_id, compose=compose)


def notify_reporter_of_update(session: Session, smtp: SmtpSettings, links: Links, *,
                              report_id: int, event_id: int) -> int:
    """A public status change or reply to the reporter; closing gets the closing message."""
    report, event = _public_update(session, report_id, event_id)
    address = _reporter_address(session, report)
    if report is None or event is None or address is None:
        return 0
    language = mail_language(report.language, links.default_language)
    compose = partial(compose_reporter_update, report_facts(report, language),
                      update_facts(event, language), to=address,
                      follow_up_url=links.follow_up(report))
    return _deliver(session, smtp, key=f"update:{event_id}:{address}", kind=REPORTER_UPDATE,
                    to=address, language=language, report_id=report_id, compose=compose)


def notify_followers_of_update(session: Session, smtp: SmtpSettings, links: Links, *,
                               report_id: int, event_id: int) -> int:
    """A public status change to every confirmed follower of a public report."""
    report, event = _public_update(session, report_id, event_id)
    # Followers hear of status changes only, and only while the report is public: what
    # the public map does not show, strangers must not get by email either.
    if report is None or event is None or event.to_status is None or not report.is_public:
        return 0
    # Read everything before the first send: deliver_once commits, expiring loaded rows.
    facts = {language: report_facts(report, language) for language in LANGUAGES}
    updates = {language: update_facts(event, language) for language in LANGUAGES}
    sent = 0
    for follower in _confirmed_followers(session, links, report_id):
        compose = partial(compose_follower_update, facts[follower.language],
                          updates[follower.language], to=follower.email,
                          unsubscribe_url=follower.unsubscribe_url)
        sent += _deliver(session, smtp, key=f"follower-update:{event_id}:{follower.id}",
                         kind=FOLLOWER_UPDATE, to=follower.email, language=follower.language,
                         report_id=report_id, compose=compose)
    return sent


def _public_update(session: Session, report_id: int,
                   event_id: int) -> tuple[Report | None, ReportEvent | None]:
    """The report and its event, when the event is a public update worth an email.

    The submission itself is confirmed by its own email, so its event is no update; nor is
    a change to fixed, which the question "is it fixed?" tells (fix_check_notifications.py).
    """
    report = session.get(Report, report_id)
    event = session.get(ReportEvent, event_id)
    if (report is None or event is None or event.report_id != report_id
            or not event.is_public or event.kind is EventKind.SUBMITTED
            or starts_fix_check(event)):
        return report, None
    return report, event


def _reporter_address(session: Session, report: Report | None) -> str | None:
    if report is None:
        return None
    contact = session.get(ReporterContact, report.id)
    return contact.email.strip() if contact is not None and contact.email else None


@dataclass(frozen=True)
class _FollowerAddress:
    id: int
    email: str
    language: str
    unsubscribe_url: str


def _confirmed_followers(session: Session, links: Links,
                         report_id: int) -> list[_FollowerAddress]:
    """Plain copies, not rows: deliver_once commits between sends, which would expire rows
    (and a follower who unsubscribes meanwhile would break the loop on reloading)."""
    query = (select(ReportFollower)
             .where(ReportFollower.report_id == report_id,
                    ReportFollower.confirmed_at.is_not(None))
             .order_by(ReportFollower.id))
    return [
        _FollowerAddress(id=follower.id, email=follower.email,
                         language=mail_language(follower.language, links.default_language),
                         unsubscribe_url=links.follower_unsubscribe(follower))
        for follower in session.scalars(query)
    ]


def unique_addresses(addresses: list[str]) -> list[str]:
    """Each address once (ignoring case and spaces), in the party's order."""
    seen: dict[str, str] = {}
    for address in addresses:
        cleaned = address.strip()
        if cleaned:
            seen.setdefault(cleaned.lower(), cleaned)
    return list(seen.values())


def _deliver(session: Session, smtp: SmtpSettings, *, key: str, kind: str, to: str,
             language: str, report_id: int, compose: Callable[[], OutgoingEmail]) -> int:
    sent = deliver_once(session, smtp, key=key, kind=kind, recipient=to, language=language,
                        report_id=report_id, compose=compose)
    return 1 if sent else 0

"""The closed loop's emails, one function per job: the question "is it fixed?" to the
reporter and to the followers, and a reopening told to the party and the other residents.

As in report_notifications.py: ids in, what is true now read, each email sent once through
deliver_once (keyed by the event and the recipient), the number sent now returned. The
question goes out only while the check its event opened is still the report's current one
(not when staff reopened it meanwhile, or it ran out before a lost job came back).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.domain.fix_check import FOLLOWER, REPORTER, Answer
from feedbackgis.mail.compose import (
    UpdateFacts,
    compose_follower_update,
    compose_reporter_update,
    mail_language,
    report_facts,
    update_facts,
)
from feedbackgis.mail.fix_check_mail import (
    FixQuestion,
    ReopeningFacts,
    compose_fix_question,
    compose_party_reopened,
    reopened_update,
)
from feedbackgis.mail.links import Links
from feedbackgis.mail.message import OutgoingEmail
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.mail.subscription_mail import local_time
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
from feedbackgis.services.notifications.report_notifications import (
    report_photo_attachments,
    unique_addresses,
)
from feedbackgis.services.reports.fix_check import is_current_check

# Notification.kind of each email.
FIX_CHECK_REPORTER = "fix_check_reporter"
FIX_CHECK_FOLLOWER = "fix_check_follower"
PARTY_REOPENED = "party_reopened"
REOPENED_UPDATE = "reopened_update"




@dataclass(frozen=True)
class _Email:
    """One email to send, composed from facts read before the first send (deliver_once
    commits, which expires the rows read)."""

    key: str
    kind: str
    to: str
    language: str
    compose: Callable[[], OutgoingEmail]


def _send_all(session: Session, smtp: SmtpSettings, report_id: int,
              emails: list[_Email]) -> int:
    return sum(int(deliver_once(session, smtp, key=email.key, kind=email.kind,
                                recipient=email.to, language=email.language,
                                report_id=report_id, compose=email.compose))
               for email in emails)


def _reporter_address(session: Session, report: Report) -> str | None:
    contact = session.get(ReporterContact, report.id)
    return contact.email.strip() if contact is not None and contact.email else None


def _followers(session: Session, report_id: int) -> list[ReportFollower]:
    return list(session.scalars(
        select(ReportFollower)
        .where(ReportFollower.report_id == report_id, ReportFollower.confirmed_at.is_not(None))
        .order_by(ReportFollower.id)))


def _asking(session: Session, report_id: int,
            event_id: int) -> tuple[Report, ReportEvent] | None:
    report = session.get(Report, report_id)
    event = session.get(ReportEvent, event_id)
    if report is None or event is None or event.report_id != report_id:
        return None
    return (report, event) if is_current_check(report, event) else None


def _question(report: Report, event: ReportEvent, language: str, time_zone: str,
              answer_url: Callable[[str], str]) -> FixQuestion:
    update = update_facts(event, language)
    if not event.is_public:
        update = replace(update, note=None)  # an internal note stays inside
    return FixQuestion(yes_url=answer_url(Answer.FIXED.value),
                       no_url=answer_url(Answer.NOT_FIXED.value),
                       until=local_time(report.fix_check_until, ZoneInfo(time_zone), language),
                       update=update)


def ask_reporter_if_fixed(session: Session, smtp: SmtpSettings, links: Links, *,
                          report_id: int, event_id: int,
                          time_zone: str = DEFAULT_TIME_ZONE) -> int:
    """"Is it fixed?" to a reporter who left an email, with their one-click answers."""
    found = _asking(session, report_id, event_id)
    address = _reporter_address(session, found[0]) if found else None
    if found is None or address is None:
        return 0
    report, event = found
    language = mail_language(report.language, links.default_language)
    question = _question(report, event, language, time_zone,
                         partial(links.fix_check_of_reporter, report))
    compose = partial(compose_fix_question, report_facts(report, language), question,
                      to=address, follow_up_url=links.follow_up(report))
    return _send_all(session, smtp, report_id, [_Email(
        f"fix-check:{event_id}:{address.lower()}", FIX_CHECK_REPORTER, address, language,
        compose)])


def ask_followers_if_fixed(session: Session, smtp: SmtpSettings, links: Links, *,
                           report_id: int, event_id: int,
                           time_zone: str = DEFAULT_TIME_ZONE) -> int:
    """"Is it fixed?" to every confirmed follower of a public report (strangers are not
    asked about what the public map does not show); a reporter who follows their own
    report is asked once, as the reporter."""
    found = _asking(session, report_id, event_id)
    if found is None or not found[0].is_public:
        return 0
    report, event = found
    reporter = (_reporter_address(session, report) or "").lower()
    emails = []
    for follower in _followers(session, report_id):
        if follower.email.strip().lower() == reporter:
            continue
        language = mail_language(follower.language, links.default_language)
        question = _question(report, event, language, time_zone,
                             partial(links.fix_check_of_follower, follower))
        emails.append(_Email(
            f"fix-check:{event_id}:follower:{follower.id}", FIX_CHECK_FOLLOWER,
            follower.email, language,
            partial(compose_fix_question, report_facts(report, language), question,
                    to=follower.email, unsubscribe_url=links.follower_unsubscribe(follower))))
    return _send_all(session, smtp, report_id, emails)


def _reopening(session: Session, report_id: int,
               event_id: int) -> tuple[Report, ReportEvent] | None:
    report = session.get(Report, report_id)
    event = session.get(ReportEvent, event_id)
    if (report is None or event is None or event.report_id != report_id
            or event.kind is not EventKind.REOPENED):
        return None
    return report, event


def notify_party_of_reopening(session: Session, smtp: SmtpSettings, links: Links, *,
                              report_id: int, event_id: int,
                              time_zone: str = DEFAULT_TIME_ZONE,
                              photos: PhotoStorage | None = None) -> int:
    """The work order again to every address of the party it was reopened to, with the
    resident's words, the new due date and the report's photos (the answer's own last)."""
    found = _reopening(session, report_id, event_id)
    party_id = found[1].data.get("party_id") if found else None
    # Given to another party since: that party's own assignment email told it.
    if found is None or party_id is None or found[0].assigned_party_id != party_id:
        return 0
    report, event = found
    language = mail_language(links.default_language, "fi")
    due = local_time(report.due_at, ZoneInfo(time_zone), language) if report.due_at else None
    reopening = ReopeningFacts(due=due, text=event.data.get("text"),
                               reopen_count=report.reopen_count)
    compose = partial(compose_party_reopened, report_facts(report, language), reopening,
                      work_order_url=_work_order_url(links, report),
                      attachments=report_photo_attachments(session, report, photos))
    return _send_all(session, smtp, report_id, [
        _Email(f"reopened:{event_id}:{address.lower()}", PARTY_REOPENED, address, language,
               partial(compose, to=address))
        for address in unique_addresses(report.assigned_party.emails)])


def _work_order_url(links: Links, report: Report) -> str:
    """A contractor opens its work order without an account (the reopening's new link); a
    unit's staff sign in to the report's staff page."""
    if report.assigned_party.kind is PartyKind.CONTRACTOR:
        return links.work_order_link(report) or links.work_order(report)
    return links.work_order(report)


def notify_residents_of_reopening(session: Session, smtp: SmtpSettings, links: Links, *,
                                  report_id: int, event_id: int) -> int:
    """The reopening as a status update to the reporter and to the followers of a public
    report, except to the one who answered (their answer's page told them)."""
    found = _reopening(session, report_id, event_id)
    if found is None:
        return 0
    report, event = found
    by, answered = event.data.get("by"), event.data.get("follower_id")
    reporter = _reporter_address(session, report)
    emails = []
    if reporter is not None and by != REPORTER:
        language = mail_language(report.language, links.default_language)
        emails.append(_Email(f"reopened:{event_id}:reporter:{reporter.lower()}",
                             REOPENED_UPDATE, reporter, language, partial(
                                 compose_reporter_update, report_facts(report, language),
                                 _update(event, language), to=reporter,
                                 follow_up_url=links.follow_up(report))))
    for follower in _followers(session, report_id) if report.is_public else []:
        if (by == FOLLOWER and follower.id == answered) or (
                reporter and follower.email.strip().lower() == reporter.lower()):
            continue
        language = mail_language(follower.language, links.default_language)
        emails.append(_Email(f"reopened:{event_id}:follower:{follower.id}", REOPENED_UPDATE,
                             follower.email, language, partial(
                                 compose_follower_update, report_facts(report, language),
                                 _update(event, language), to=follower.email,
                                 unsubscribe_url=links.follower_unsubscribe(follower))))
    return _send_all(session, smtp, report_id, emails)


def _update(event: ReportEvent, language: str) -> UpdateFacts:
    return reopened_update(update_facts(event, language).status, language)

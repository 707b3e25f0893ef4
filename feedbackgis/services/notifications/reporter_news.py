"""Telling the staff that a report's reporter added to it (information, a photo) or withdrew it.

It goes to the person working on the report when there is one, else to the party's
addresses; a report nobody has yet (triage) waits for staff to open it.
"""
from __future__ import annotations

from functools import partial

from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.mail.assignment_mail import compose_reporter_news
from feedbackgis.mail.compose import mail_language, report_facts
from feedbackgis.mail.links import Links
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.models import Report, ReportEvent, StaffUser
from feedbackgis.services.notifications.delivery import deliver_once
from feedbackgis.services.notifications.report_notifications import unique_addresses

REPORTER_NEWS = "reporter_news"  # Notification.kind


def notify_staff_of_reporter_news(session: Session, smtp: SmtpSettings, links: Links, *,
                                  report_id: int, event_id: int) -> int:
    """The number of emails sent now (0 when sent before or nobody works on it)."""
    report = session.get(Report, report_id)
    event = session.get(ReportEvent, event_id)
    if report is None or event is None or event.report_id != report_id:
        return 0
    addresses = _workers(session, report)
    language = mail_language(links.default_language, "fi")
    compose = partial(compose_reporter_news, report_facts(report, language),
                      report_url=links.work_order(report), note=event.note,
                      photo="photo_id" in (event.data or {}),
                      withdrawn=event.to_status is ReportStatus.WITHDRAWN)
    sent = 0
    for address in addresses:
        sent += int(deliver_once(session, smtp, key=f"reporter-news:{event_id}:{address}",
                                 kind=REPORTER_NEWS, recipient=address, language=language,
                                 report_id=report_id, compose=partial(compose, to=address)))
    return sent


def _workers(session: Session, report: Report) -> list[str]:
    if report.assigned_user_id is not None:
        person = session.get(StaffUser, report.assigned_user_id)
        if person is not None and person.active:
            return [person.email]
    if report.assigned_party is not None:
        return unique_addresses(report.assigned_party.emails)
    return []

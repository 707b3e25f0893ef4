"""The email to a staff member a report was given to (services/staff/assignment.py).

Keyed by the assignment's event, so a retried job sends nothing twice and a later
assignment to the same person is told again. Staff accounts have no language of their own:
the mail is in the municipality's DEFAULT_LANGUAGE, as the party's work orders are.
"""
from __future__ import annotations

from functools import partial

from sqlalchemy.orm import Session

from feedbackgis.mail.assignment_mail import compose_person_assignment
from feedbackgis.mail.compose import mail_language, report_facts
from feedbackgis.mail.links import Links
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.models import EventKind, Report, ReportEvent, StaffUser
from feedbackgis.services.notifications.delivery import deliver_once

PERSON_ASSIGNED = "person_assigned"  # Notification.kind


def notify_person_of_assignment(session: Session, smtp: SmtpSettings, links: Links, *,
                                report_id: int, user_id: int, event_id: int) -> int:
    """1 when the email was sent now; 0 when it was sent before, or the report has been
    given to someone else since, or the account was disabled meanwhile."""
    report = session.get(Report, report_id)
    person = session.get(StaffUser, user_id)
    event = session.get(ReportEvent, event_id)
    if (report is None or person is None or event is None or not person.active
            or event.report_id != report_id or event.kind is not EventKind.PERSON_ASSIGNED
            or report.assigned_user_id != user_id):
        return 0
    language = mail_language(links.default_language, "fi")
    compose = partial(compose_person_assignment, report_facts(report, language),
                      to=person.email, report_url=links.work_order(report),
                      assigned_by=event.actor)
    sent = deliver_once(session, smtp, key=f"person-assigned:{event_id}",
                        kind=PERSON_ASSIGNED, recipient=person.email, language=language,
                        report_id=report_id, compose=compose)
    return 1 if sent else 0

"""notify_of_escalation: the emails of one escalation step of an overdue report.

Level 1 reminds every address of the report's party; level 2 tells the party's manager
(party.manager_email), or every active staff user with the manager role when the party has
none (or the report has no party). Like the other notifications, it takes ids, reads what is
true now and sends each email once (deliver_once), keyed by report, level, the due date
the step was for, and recipient: a retried job or a duplicate sends nothing twice, while a
reassigned report (new due date, level 0 again) is escalated afresh.
"""
from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE, working_days_late
from feedbackgis.domain.permissions import Role
from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.mail.compose import mail_language, report_facts
from feedbackgis.mail.links import Links
from feedbackgis.mail.overdue import MANAGER_NOTICE, compose_overdue_reminder, overdue_facts
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.models import Party, Report, StaffUser
from feedbackgis.services.notifications.delivery import deliver_once
from feedbackgis.services.notifications.report_notifications import unique_addresses

# Notification.kind of each email.
PARTY_OVERDUE = "party_overdue"
MANAGER_OVERDUE = "manager_overdue"


def notify_of_escalation(session: Session, smtp: SmtpSettings, links: Links, *,
                         report_id: int, level: int, time_zone: str = DEFAULT_TIME_ZONE,
                         now: datetime | None = None) -> int:
    """Send the emails of escalation `level` of the report; returns how many were sent now.

    Nothing when the report was dealt with meanwhile (no longer open) or has been put back
    below `level` by a new assignment: the reminder would be about a work order that is no
    longer late.
    """
    report = session.get(Report, report_id)
    if (report is None or report.due_at is None or report.status not in OPEN_STATUSES
            or report.escalation_level < level):
        return 0
    # Everything read before the first send: deliver_once commits, expiring loaded rows.
    language = mail_language(links.default_language, "fi")
    party = report.assigned_party
    facts = overdue_facts(
        level=level, due_at=report.due_at, party=party.name if party else None,
        working_days_late=working_days_late(report.due_at, now or datetime.now(UTC), time_zone),
        time_zone=time_zone, language=language)
    compose = partial(compose_overdue_reminder, report_facts(report, language), facts,
                      work_order_url=links.work_order(report))
    kind = MANAGER_OVERDUE if level >= MANAGER_NOTICE else PARTY_OVERDUE
    due_key = int(report.due_at.timestamp())
    sent = 0
    for address in _recipients(session, level, party):
        sent += int(deliver_once(
            session, smtp, key=f"overdue:{report_id}:{level}:{due_key}:{address.lower()}",
            kind=kind, recipient=address, language=language, report_id=report_id,
            compose=partial(compose, to=address)))
    return sent


def _recipients(session: Session, level: int, party: Party | None) -> list[str]:
    if level < MANAGER_NOTICE:
        return unique_addresses(party.emails) if party is not None else []
    if party is not None and party.manager_email and party.manager_email.strip():
        return [party.manager_email.strip()]
    return manager_addresses(session)


def manager_addresses(session: Session) -> list[str]:
    """Every active staff user with the manager role: told when a party has no manager."""
    query = (select(StaffUser.email)
             .where(StaffUser.role == Role.MANAGER, StaffUser.active)
             .order_by(StaffUser.id))
    return unique_addresses(list(session.scalars(query)))

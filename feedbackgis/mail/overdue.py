"""The overdue work order email: the reminder to the party (level 1) and the word to its
manager (level 2), one template for both (report_overdue.txt/html)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from feedbackgis.mail.compose import ReportFacts
from feedbackgis.mail.message import OutgoingEmail
from feedbackgis.mail.render import render_email
from feedbackgis.mail.subscription_mail import local_time

PARTY_REMINDER, MANAGER_NOTICE = 1, 2


@dataclass(frozen=True)
class OverdueFacts:
    level: int  # PARTY_REMINDER or MANAGER_NOTICE
    due: str  # the due date and time, local, written the language's way
    working_days_late: int  # whole working days ended since it was due (0: not a day yet)
    party: str | None  # the responsible party's name, when it has one


def overdue_facts(*, level: int, due_at: datetime, working_days_late: int, party: str | None,
                  time_zone: str, language: str) -> OverdueFacts:
    return OverdueFacts(level=level, due=local_time(due_at, ZoneInfo(time_zone), language),
                        working_days_late=working_days_late, party=party)


def compose_overdue_reminder(report: ReportFacts, overdue: OverdueFacts, *, to: str,
                             work_order_url: str) -> OutgoingEmail:
    subject, text, html = render_email("report_overdue", report.language, report=report,
                                       overdue=overdue, to_manager=overdue.level >= MANAGER_NOTICE,
                                       work_order_url=work_order_url)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html, language=report.language)

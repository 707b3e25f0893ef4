"""The email to a staff member given a report: what it is, and the link to its staff page."""
from __future__ import annotations

from feedbackgis.mail.compose import ReportFacts
from feedbackgis.mail.message import OutgoingEmail
from feedbackgis.mail.render import render_email


def compose_person_assignment(report: ReportFacts, *, to: str, report_url: str,
                              assigned_by: str) -> OutgoingEmail:
    """No reporter contact here: the staff page shows it to those who may see it."""
    subject, text, html = render_email("person_assigned", report.language, report=report,
                                       report_url=report_url, assigned_by=assigned_by)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html,
                         language=report.language)

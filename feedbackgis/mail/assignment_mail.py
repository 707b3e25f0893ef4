"""Emails to the staff working on a report: it was given to them, or its reporter added to it
or withdrew it. What it is, and the link to its staff page; never the reporter's contact."""
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


def compose_reporter_news(report: ReportFacts, *, to: str, report_url: str, note: str | None,
                          photo: bool, withdrawn: bool) -> OutgoingEmail:
    """To whoever works on the report: its reporter added to it or withdrew it."""
    subject, text, html = render_email("staff_reporter_news", report.language, report=report,
                                       report_url=report_url, note=note, photo=photo,
                                       withdrawn=withdrawn)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html,
                         language=report.language)

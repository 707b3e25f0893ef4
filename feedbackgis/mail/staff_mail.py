"""Emails to staff users about their account: the password reset link."""
from __future__ import annotations

from feedbackgis.mail.message import OutgoingEmail
from feedbackgis.mail.render import render_email


def password_reset_email(*, to: str, language: str, reset_url: str,
                         valid_hours: int) -> OutgoingEmail:
    subject, text, html = render_email("staff_password_reset", language, reset_url=reset_url,
                                       valid_hours=valid_hours)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html, language=language)

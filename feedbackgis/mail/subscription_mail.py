"""The subscription emails: area confirmation, follower confirmation, the daily digest.

Every one carries its unsubscribe link in the body and in the List-Unsubscribe headers
(RFC 2369), with List-Unsubscribe-Post so that mail clients offer one-click unsubscribe
(RFC 8058: they POST "List-Unsubscribe=One-Click" to the link).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_decimal

from feedbackgis.i18n import datetime_pattern
from feedbackgis.mail.compose import ReportFacts, report_facts
from feedbackgis.mail.links import Links
from feedbackgis.mail.message import OutgoingEmail, unsubscribe_headers
from feedbackgis.mail.render import render_email
from feedbackgis.models import AreaSubscription, Report, ReportFollower


@dataclass(frozen=True)
class DigestItem:
    """One report as a digest lists it, in the subscriber's language."""

    report: ReportFacts
    received: str  # local date and time, written the language's way
    url: str  # the public report


def _email(to: str, language: str, template: str, unsubscribe_url: str,
           **context: Any) -> OutgoingEmail:
    subject, text, html = render_email(template, language, unsubscribe_url=unsubscribe_url,
                                       **context)
    return OutgoingEmail(to=to, subject=subject, text=text, html=html, language=language,
                         headers=unsubscribe_headers(unsubscribe_url))


def area_confirmation_email(links: Links, subscription: AreaSubscription,
                            area_km2: float) -> OutgoingEmail:
    return _email(
        subscription.email, subscription.language, "subscription_area_confirmation",
        links.subscription_unsubscribe(subscription),
        confirm_url=links.subscription_confirm(subscription),
        area_size=format_number(area_km2, subscription.language),
    )


def follower_confirmation_email(links: Links, follower: ReportFollower,
                                report: Report) -> OutgoingEmail:
    return _email(
        follower.email, follower.language, "subscription_follower_confirmation",
        links.follower_unsubscribe(follower),
        confirm_url=links.follower_confirm(follower),
        report_id=report.id, category=report.category.name(follower.language),
    )


def digest_email(links: Links, subscription: AreaSubscription, reports: Sequence[Report],
                 zone: tzinfo) -> OutgoingEmail:
    """The digest of `reports`, their times shown in `zone` (the municipality's)."""
    language = subscription.language
    items = [digest_item(links, report, language, zone) for report in reports]
    return _email(subscription.email, language, "subscription_digest",
                  links.subscription_unsubscribe(subscription), reports=items)


def digest_item(links: Links, report: Report, language: str, zone: tzinfo) -> DigestItem:
    return DigestItem(
        report=report_facts(report, language),
        received=local_time(report.created_at, zone, language),
        url=links.public_report(report.id, language),
    )


def local_time(moment: datetime, zone: tzinfo, language: str) -> str:
    """`moment` (UTC when naive) in `zone`, e.g. 4.5.2026 12.30 in Finnish."""
    return format_datetime(moment, datetime_pattern(language), tzinfo=zone, locale=language)


def format_number(value: float, language: str) -> str:
    """One decimal, with the language's decimal mark and digit grouping (3,1 / 3.1)."""
    return format_decimal(value, format="#,##0.0", locale=language)

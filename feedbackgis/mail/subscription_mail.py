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

from feedbackgis.mail.compose import ReportFacts, report_facts
from feedbackgis.mail.links import Links
from feedbackgis.mail.message import OutgoingEmail, unsubscribe_headers
from feedbackgis.mail.render import render_email
from feedbackgis.mail.subscription_texts import subscription_translator
from feedbackgis.models import AreaSubscription, Report, ReportFollower


@dataclass(frozen=True)
class DigestItem:
    """One report as a digest lists it, in the subscriber's language."""

    report: ReportFacts
    received: str  # local date and time
    url: str  # the public report


def _email(to: str, language: str, template: str, unsubscribe_url: str,
           **context: Any) -> OutgoingEmail:
    subject, text, html = render_email(
        template, language, s=subscription_translator(language),
        unsubscribe_url=unsubscribe_url, **context,
    )
    return OutgoingEmail(to=to, subject=subject, text=text, html=html, language=language,
                         headers=unsubscribe_headers(unsubscribe_url))


def area_confirmation_email(links: Links, subscription: AreaSubscription,
                            area_km2: float) -> OutgoingEmail:
    return _email(
        subscription.email, subscription.language, "subscription_area_confirmation",
        links.subscription_unsubscribe(subscription),
        confirm_url=links.subscription_confirm(subscription),
        confirm_action="area_confirmation_action",
        area_size=format_number(area_km2, subscription.language),
    )


def follower_confirmation_email(links: Links, follower: ReportFollower,
                                report: Report) -> OutgoingEmail:
    return _email(
        follower.email, follower.language, "subscription_follower_confirmation",
        links.follower_unsubscribe(follower),
        confirm_url=links.follower_confirm(follower),
        confirm_action="follower_confirmation_action",
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
        received=_local_time(report.created_at, zone),
        url=links.public_report(report.id, language),
    )


def _local_time(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def format_number(value: float, language: str) -> str:
    """One decimal, with the decimal comma Finnish and Swedish use."""
    text = f"{value:.1f}"
    return text if language == "en" else text.replace(".", ",")

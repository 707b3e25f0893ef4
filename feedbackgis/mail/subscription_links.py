"""The links subscription emails carry: confirm, unsubscribe, the public report.

Built on mail/links.py's Links (the public base URL and the secret key), so every absolute
link of the app still comes from one base. The paths are the routes of
web/subscriptions.py; a follower's unsubscribe link is Links.follower_unsubscribe itself.
A `?lang=` makes the page open in the language of the email.
"""
from __future__ import annotations

from feedbackgis.mail.links import Links
from feedbackgis.models import AreaSubscription, ReportFollower
from feedbackgis.services.email_confirmation import confirm_token, unsubscribe_token

SUBSCRIPTION = "subscription"
FOLLOWER = "follower"


def _with_language(url: str, language: str) -> str:
    return f"{url}?lang={language}"


def confirm_subscription_url(links: Links, subscription: AreaSubscription) -> str:
    token = confirm_token(subscription, links.secret_key)
    return _with_language(links.absolute(f"/confirm/{SUBSCRIPTION}/{token}"),
                          subscription.language)


def unsubscribe_subscription_url(links: Links, subscription: AreaSubscription) -> str:
    """One-click unsubscribe (RFC 8058: a POST to this URL suffices)."""
    token = unsubscribe_token(subscription, links.secret_key)
    return _with_language(links.absolute(f"/unsubscribe/{SUBSCRIPTION}/{token}"),
                          subscription.language)


def confirm_follower_url(links: Links, follower: ReportFollower) -> str:
    token = confirm_token(follower, links.secret_key)
    return _with_language(links.absolute(f"/confirm/{FOLLOWER}/{token}"), follower.language)


def unsubscribe_follower_url(links: Links, follower: ReportFollower) -> str:
    return links.follower_unsubscribe(follower)


def public_report_url(links: Links, report_id: int, language: str) -> str:
    """The report's public view. The JSON resource for now; the public map page later."""
    return _with_language(links.absolute(f"/api/v1/reports/{report_id}"), language)

"""Confirm and unsubscribe pages of area subscriptions and report followers, reached through
the capability links in their emails.

Unsubscribing: GET shows a page with a button, POST unsubscribes. A GET never does it, as
mail scanners open links; mail clients offering one-click unsubscribe POST
"List-Unsubscribe=One-Click" to the same URL (RFC 8058). That POST comes from the mail
client, without a CSRF token, and needs none: the unguessable token in the URL is the
protection (whoever holds the link may unsubscribe). Our own form posts from the same origin.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app, g, render_template, request, url_for
from sqlalchemy.orm import Session

from feedbackgis.errors import NotFound
from feedbackgis.extensions import csrf, db
from feedbackgis.services.subscriptions import area_subscriptions as subscriptions
from feedbackgis.services.subscriptions import followers
from feedbackgis.services.subscriptions.email_confirmation import Confirmable, unsubscribe_token
from feedbackgis.web import web_blueprint
from feedbackgis.web.follow_up import PRIVATE_PAGE_HEADERS


@dataclass(frozen=True)
class Kind:
    confirm: Callable[[Session, str, datetime], Confirmable]
    find_to_unsubscribe: Callable[[Session, str], Confirmable]
    unsubscribe: Callable[[Session, str], None]


KINDS = {
    "subscription": Kind(subscriptions.confirm_subscription,
                         subscriptions.find_subscription_to_unsubscribe,
                         subscriptions.unsubscribe_subscription),
    "follower": Kind(followers.confirm_follower, followers.find_follower_to_unsubscribe,
                     followers.unsubscribe_follower),
}

KIND = "<any(subscription, follower):kind>"


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int, dict[str, str]]:
    return render_template(template, **context), status, PRIVATE_PAGE_HEADERS


def _invalid(reason: str) -> tuple[str, int, dict[str, str]]:
    """The 404 page of a link that does not work; `reason` ("confirm" or "unsubscribe")
    picks what it says."""
    return _page("subscription_link_invalid.html", 404, reason=reason)


@web_blueprint.get(f"/confirm/{KIND}/<token>")
def confirm(kind: str, token: str) -> Any:
    try:
        row = KINDS[kind].confirm(db.session, token, datetime.now(UTC))
    except NotFound:
        return _invalid("confirm")
    unsubscribe_url = url_for(
        "web.unsubscribe", kind=kind, lang=g.language,
        token=unsubscribe_token(row, current_app.config["SECRET_KEY"]),
    )
    return _page("subscription_confirmed.html", kind=kind, unsubscribe_url=unsubscribe_url,
                 report_id=getattr(row, "report_id", None))


@web_blueprint.route(f"/unsubscribe/{KIND}/<token>", methods=["GET", "POST"])
@csrf.exempt  # the one-click POST of RFC 8058 comes from the mail client, without a token
def unsubscribe(kind: str, token: str) -> Any:
    try:
        if request.method == "POST":
            KINDS[kind].unsubscribe(db.session, token)
            return _page("subscription_unsubscribed.html", kind=kind)
        row = KINDS[kind].find_to_unsubscribe(db.session, token)
    except NotFound:
        return _invalid("unsubscribe")
    return _page("subscription_unsubscribe.html", kind=kind, token=token,
                 report_id=getattr(row, "report_id", None))

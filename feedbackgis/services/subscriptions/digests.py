"""The daily digest: each confirmed area subscriber gets one email a day listing the new
public reports inside their area, if there are any.

How a digest is sent at most once and no report is lost or listed twice:
- its notification key is the subscription and the day, so a second run that day (the job
  runs hourly) sends nothing, and the reports it would list wait for tomorrow;
- the subscription's digest_since moves to `now` in the same commit that marks the
  notification sent (deliver_once commits after the mail server accepted the message). A
  crash before that commit leaves both as they were: the retry sends the same digest again
  (same Message-ID, see deliver_once), never a digest with reports missing;
- moving digest_since locks the subscription row until that commit, so an unsubscribe at
  the same moment waits for it, and a subscription deleted just before is not mailed.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from feedbackgis.mail.links import Links
from feedbackgis.mail.message import OutgoingEmail
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.mail.subscription_mail import digest_email
from feedbackgis.models import AreaSubscription
from feedbackgis.repositories.subscriptions import (
    confirmed_subscription_ids,
    public_reports_for_digest,
)
from feedbackgis.services.notifications.delivery import deliver_once

log = logging.getLogger(__name__)
DIGEST = "area_digest"


class SubscriptionGone(Exception):
    """The subscription was deleted while its digest was being composed."""


class DigestsFailed(Exception):
    """Some digests could not be sent; the others were. A rerun sends only the missing."""


def digest_key(subscription_id: int, now: datetime) -> str:
    return f"digest:{subscription_id}:{now.date().isoformat()}"


def send_daily_digests(session: Session, smtp: SmtpSettings, links: Links, *,
                       now: datetime) -> int:
    """Send today's digest to every confirmed subscriber with new reports; how many sent.

    `now` must be timezone-aware, in the municipality's time zone: its date is the digest's
    day and the listed reports' times are shown in its zone. Raises DigestsFailed after
    trying everyone when some could not be sent, so that the job is retried.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (the municipality's local time)")
    sent, failed = 0, []
    for subscription_id in confirmed_subscription_ids(session):
        try:
            sent += send_digest(session, smtp, links, subscription_id=subscription_id, now=now)
        except Exception as exc:  # one refused address must not stop everyone's digest
            log.warning("Digest of subscription %s failed: %s", subscription_id, exc)
            failed.append(subscription_id)
    if failed:
        raise DigestsFailed(f"{len(failed)} digest(s) not sent, subscriptions {failed}")
    return sent


def send_digest(session: Session, smtp: SmtpSettings, links: Links, *,
                subscription_id: int, now: datetime) -> int:
    """One subscriber's digest for the day of `now`; 1 if sent now, else 0."""
    subscription = session.get(AreaSubscription, subscription_id)
    if subscription is None or subscription.confirmed_at is None:
        return 0
    reports = public_reports_for_digest(session, subscription_id, subscription.digest_since, now)
    if not reports:
        session.rollback()
        return 0

    # Composed before deliver_once commits: the message needs nothing loaded afterwards.
    email = digest_email(links, subscription, reports, now.tzinfo)

    def advance_then_compose() -> OutgoingEmail:
        # Runs inside deliver_once's last transaction: the move commits with "sent".
        _advance_digest_since(session, subscription_id, now)
        return email

    try:
        sent = deliver_once(
            session, smtp, key=digest_key(subscription_id, now), kind=DIGEST,
            recipient=email.to, language=email.language, report_id=None,
            compose=advance_then_compose,
        )
    except SubscriptionGone:
        return 0
    return int(sent)


def _advance_digest_since(session: Session, subscription_id: int, now: datetime) -> None:
    moved = session.execute(
        update(AreaSubscription)
        .where(AreaSubscription.id == subscription_id)
        .values(digest_since=now)
        .returning(AreaSubscription.id)
    ).first()
    if moved is None:
        raise SubscriptionGone(subscription_id)


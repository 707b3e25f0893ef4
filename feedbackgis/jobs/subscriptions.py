"""Subscription jobs: confirmation emails (idempotent through deliver_once)."""
from __future__ import annotations

from feedbackgis.jobs.context import job_session, links, smtp_settings
from feedbackgis.services.subscriptions import area_subscriptions as subscriptions
from feedbackgis.services.subscriptions import followers


def send_subscription_confirmation(subscription_id: int) -> int:
    with job_session() as session:
        return subscriptions.send_subscription_confirmation(
            session, smtp_settings(), links(), subscription_id=subscription_id
        )


def send_follower_confirmation(follower_id: int) -> int:
    with job_session() as session:
        return followers.send_follower_confirmation(
            session, smtp_settings(), links(), follower_id=follower_id
        )

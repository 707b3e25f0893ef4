"""Report followers: a resident follows someone else's public report instead of filing a
duplicate. Confirmed by email first, like area subscriptions (services/email_confirmation.py).
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from feedbackgis.mail.links import Links
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.mail.subscription_mail import follower_confirmation_email
from feedbackgis.models import OutboxTopic, Report, ReportFollower
from feedbackgis.services.notifications.delivery import deliver_once
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.reports.reads import get_public_report
from feedbackgis.services.subscriptions.email_confirmation import (
    confirm_by_token,
    confirmation_key,
    delete_by_unsubscribe_token,
    find_by_unsubscribe_token,
    may_resend_confirmation,
    normalise_email,
    token_columns,
)


def follow_report(session: Session, report_id: int, email: str, language: str, *,
                  secret_key: str, now: datetime | None = None) -> None:
    """Ask `email` to confirm following the public report; commit.

    The caller's answer is the same whatever happens here. An address already following
    gets nothing; one that has not confirmed yet gets the confirmation again, at most once
    per CONFIRMATION_RESEND_AFTER. Two requests at once cannot both insert (the unique
    constraint decides, without an error).
    """
    now = now or datetime.now(UTC)
    get_public_report(session, report_id)
    email = normalise_email(email)
    follower_id = session.scalar(
        insert(ReportFollower)
        .values(report_id=report_id, email=email, language=language, created_at=now,
                **token_columns(secret_key))
        .on_conflict_do_nothing(index_elements=["report_id", "email"])
        .returning(ReportFollower.id)
    )
    if follower_id is None:
        follower_id = _ask_again(session, report_id, email, language, now)
    if follower_id is not None:
        record_side_effect(session, OutboxTopic.REPORT_FOLLOWER_CREATED, follower_id=follower_id)
    session.commit()


def _ask_again(session: Session, report_id: int, email: str, language: str,
               now: datetime) -> int | None:
    """The id of an unconfirmed follower whose confirmation may be sent again, else None."""
    follower = session.scalar(
        select(ReportFollower)
        .where(ReportFollower.report_id == report_id, ReportFollower.email == email)
        .with_for_update()
    )
    if follower is None or not may_resend_confirmation(follower, now):
        return None
    # A new request: a new confirmation email (its key counts from created_at) and a new
    # week to confirm in, in the language asked for now.
    follower.created_at = now
    follower.language = language
    return follower.id


def confirm_follower(session: Session, token: str, now: datetime) -> ReportFollower:
    confirmation = confirm_by_token(session, ReportFollower, token, now)
    session.commit()
    return confirmation.row


def find_follower_to_unsubscribe(session: Session, token: str) -> ReportFollower:
    return find_by_unsubscribe_token(session, ReportFollower, token)


def unsubscribe_follower(session: Session, token: str) -> None:
    """Stop following: delete the follower with its address; NotFound for an unknown token."""
    delete_by_unsubscribe_token(session, ReportFollower, token)


def send_follower_confirmation(session: Session, smtp: SmtpSettings, links: Links, *,
                               follower_id: int) -> int:
    """Email the confirmation link (once per request for it); 1 if sent now, else 0.

    Nothing is sent to a follower who is gone (unsubscribed, purged) or already confirmed."""
    follower = session.get(ReportFollower, follower_id)
    if follower is None or follower.confirmed_at is not None:
        session.rollback()
        return 0
    report = session.get(Report, follower.report_id)
    # Composed before deliver_once commits: the message needs nothing loaded afterwards.
    email = follower_confirmation_email(links, follower, report)
    sent = deliver_once(
        session, smtp, key=confirmation_key(follower), kind="follower_confirmation",
        recipient=email.to, language=email.language, report_id=report.id,
        compose=lambda: email,
    )
    return int(sent)

"""Telling the reporter and the followers of a merged report where its news come from now."""
from __future__ import annotations

from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.mail.compose import compose_merge_notice, mail_language, report_facts
from feedbackgis.mail.links import Links
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.models import Report, ReporterContact, ReportFollower
from feedbackgis.services.notifications.delivery import deliver_once

REPORT_MERGED = "report_merged"


def notify_of_merge(session: Session, smtp: SmtpSettings, links: Links, *, report_id: int,
                    original_id: int, follower_ids: list[int],
                    reporter_follower_id: int | None) -> int:
    """Email the duplicate's reporter and its moved followers once each; the number sent."""
    duplicate = session.get(Report, report_id)
    original = session.get(Report, original_id)
    if duplicate is None or original is None or duplicate.merged_into_id != original.id:
        return 0
    messages = []
    contact = session.get(ReporterContact, duplicate.id)
    if contact is not None and contact.email:
        follower = (session.get(ReportFollower, reporter_follower_id)
                    if reporter_follower_id is not None else None)
        language = mail_language(duplicate.language, links.default_language)
        messages.append((f"merged:{duplicate.id}:reporter", contact.email.strip(), language,
                         {"follow_up_url": links.follow_up(duplicate),
                          "unsubscribe_url": links.follower_unsubscribe(follower)
                          if follower is not None else None}))
    followers = session.scalars(select(ReportFollower).where(
        ReportFollower.id.in_(follower_ids), ReportFollower.report_id == original.id,
        ReportFollower.confirmed_at.is_not(None)).order_by(ReportFollower.id))
    reporter_address = contact.email.strip().lower() if contact and contact.email else None
    for follower in followers:
        if follower.email == reporter_address:
            continue  # the reporter who followed their own report: told once, above
        language = mail_language(follower.language, links.default_language)
        messages.append((f"merged:{duplicate.id}:follower:{follower.id}", follower.email,
                         language, {"unsubscribe_url": links.follower_unsubscribe(follower)}))
    # Composed before sending: deliver_once commits, which expires the rows read above.
    composed = [(key, to, language, partial(
        compose_merge_notice, report_facts(original, language), duplicate_id=duplicate.id,
        to=to, original_url=links.public_report(original.id, language)
        if original.is_public else None, **extra)())
        for key, to, language, extra in messages]
    sent = 0
    for key, to, language, email in composed:
        sent += int(deliver_once(session, smtp, key=key, kind=REPORT_MERGED, recipient=to,
                                 language=language, report_id=duplicate.id,
                                 compose=lambda message=email: message))
    return sent

"""Sending a month's summaries, each to each recipient once, however often it runs.

Every email is a notification keyed by the month, the summary and the address
(deliver_once): a retry or a second run sends nothing already sent, and a run that stopped
half way (a mail server down) sends only the rest. Once a run has seen every summary of
the month sent, it records the month as done (a notification row of its own, without any
address): the hourly job then does nothing more for that month, and people added later
do not get an old month's summary. The figures are brought up to date first (in a dry
run too: that changes no summary, only the figures' rollups).
"""
from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from feedbackgis.mail.links import Links
from feedbackgis.mail.message import OutgoingEmail
from feedbackgis.mail.monthly_summary_mail import MONTHLY_SUMMARY, compose_monthly_summary
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.models import DeliveryStatus, Notification
from feedbackgis.services.analytics.monthly_summary import (
    MonthFigures,
    Recipient,
    SummaryPlan,
    dashboard_url,
    map_image,
    month_figures,
    summary_facts,
    summary_plans,
)
from feedbackgis.services.analytics.refresh import refresh_changed_figures
from feedbackgis.services.analytics.summary_map import summary_map
from feedbackgis.services.notifications.delivery import deliver_once

log = logging.getLogger(__name__)
MONTH_DONE = "monthly_summaries_done"  # Notification.kind of the month's "all sent" row


class Delivery(enum.StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    WOULD_SEND = "would send"  # a dry run
    FAILED = "failed"


@dataclass(frozen=True)
class SummaryMail:
    summary: str  # "all" or "party-<id>"
    party: str | None
    to: str
    language: str
    subject: str | None  # None when it was sent before (not composed again)
    delivery: Delivery


@dataclass
class SummaryRun:
    month: date
    mails: list[SummaryMail] = field(default_factory=list)
    skipped_parties: list[str] = field(default_factory=list)  # no reports in either month

    def count(self, delivery: Delivery) -> int:
        return sum(1 for mail in self.mails if mail.delivery is delivery)


class SummariesFailed(Exception):
    """Some summaries could not be sent; the others were. A rerun sends only the missing."""


def summary_key(month: date, plan: SummaryPlan, recipient: Recipient) -> str:
    return f"summary:{month.isoformat()[:7]}:{plan.key}:{recipient.email.strip().lower()}"


def month_done_key(month: date) -> str:
    return f"summaries-done:{month.isoformat()[:7]}"


def summaries_done(session: Session, month: date) -> bool:
    return session.scalar(select(Notification.id).where(
        Notification.idempotency_key == month_done_key(month))) is not None


@dataclass(frozen=True)
class SummarySettings:
    time_zone: str
    metric_srid: int


def send_monthly_summaries(session: Session, smtp: SmtpSettings, links: Links, *,
                           month: date, settings: SummarySettings,
                           dry_run: bool = False) -> SummaryRun:
    """Send `month`'s summaries not sent yet (dry_run: compose them, send and record
    nothing). Raises SummariesFailed after trying everyone if some could not be sent."""
    refresh_changed_figures(session, settings.time_zone)
    run = SummaryRun(month)
    plans = summary_plans(session)
    sent_before = _sent_keys(session, [summary_key(month, plan, each)
                                       for plan in plans for each in plan.recipients])
    for plan in plans:
        _send_summary(session, smtp, links, plan, run, settings, sent_before, dry_run)
    session.rollback()
    failed = run.count(Delivery.FAILED)
    if failed:
        raise SummariesFailed(f"{failed} monthly summary email(s) of {month:%Y-%m} not sent")
    if not dry_run:
        _record_month_done(session, month)
    return run


def _sent_keys(session: Session, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(session.scalars(select(Notification.idempotency_key).where(
        Notification.idempotency_key.in_(keys), Notification.status == DeliveryStatus.SENT)))


def _send_summary(session: Session, smtp: SmtpSettings, links: Links, plan: SummaryPlan,
                  run: SummaryRun, settings: SummarySettings, sent_before: set[str],
                  dry_run: bool) -> None:
    month = run.month
    pending = [each for each in plan.recipients
               if summary_key(month, plan, each) not in sent_before]
    for each in plan.recipients:
        if each not in pending:
            run.mails.append(SummaryMail(plan.key, plan.party_name, each.email, each.language,
                                         None, Delivery.ALREADY_SENT))
    if not pending:
        return
    figures: dict[str, MonthFigures] = {}
    for each in pending:
        figures.setdefault(each.language, month_figures(session, month, plan.party_id,
                                                        each.language))
    if plan.party_id is not None and next(iter(figures.values())).nothing_to_tell:
        run.skipped_parties.append(plan.party_name or "")
        return
    image = map_image(summary_map(session, month=month, party_id=plan.party_id,
                                  time_zone=settings.time_zone,
                                  metric_srid=settings.metric_srid))
    for each in pending:
        facts = summary_facts(plan, month, figures[each.language], image,
                              dashboard_url(links, month, plan.party_id, each.language))
        email = compose_monthly_summary(facts, to=each.email, language=each.language)
        run.mails.append(_deliver(session, smtp, plan, each, email,
                                  summary_key(month, plan, each), dry_run))


def _deliver(session: Session, smtp: SmtpSettings, plan: SummaryPlan, recipient: Recipient,
             email: OutgoingEmail, key: str, dry_run: bool) -> SummaryMail:
    def mail(delivery: Delivery) -> SummaryMail:
        return SummaryMail(plan.key, plan.party_name, recipient.email, recipient.language,
                           email.subject, delivery)

    if dry_run:
        return mail(Delivery.WOULD_SEND)
    try:
        sent = deliver_once(session, smtp, key=key, kind=MONTHLY_SUMMARY,
                            recipient=recipient.email, language=recipient.language,
                            report_id=None, compose=lambda: email)
    except Exception as exc:  # one refused address must not stop everyone's summary
        log.warning("Monthly summary %s failed: %s", plan.key, type(exc).__name__)
        return mail(Delivery.FAILED)
    return mail(Delivery.SENT if sent else Delivery.ALREADY_SENT)


def _record_month_done(session: Session, month: date) -> None:
    session.execute(
        insert(Notification)
        .values(idempotency_key=month_done_key(month), kind=MONTH_DONE, recipient="",
                language="fi", report_id=None, status=DeliveryStatus.SENT,
                attempts=1, sent_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["idempotency_key"]))
    session.commit()

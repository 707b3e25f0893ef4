"""escalate_overdue_reports: the hourly check of open reports past their due date.

Level 0 -> 1: the report is past its due date; its party is reminded.
Level 1 -> 2: it is still open `manager_after_working_days` working days later; the party's
manager (party.manager_email, else the service's managers) is told.

Each step is one conditional UPDATE ... WHERE escalation_level = <the old level> over a
batch of candidates locked with SKIP LOCKED, with an internal ESCALATED event and an
outbox row (REPORT_ESCALATED) in the same transaction: a second run, or two runs at once,
finds nothing left to escalate, and the emails go out once (jobs keyed per report, level
and recipient). set_due_date puts a reassigned report back to level 0.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE, late_since
from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.models import EventKind, OutboxTopic, Party, Report, ReportEvent
from feedbackgis.services.outbox import record_side_effect

log = logging.getLogger(__name__)

NOT_ESCALATED, PARTY_TOLD, MANAGER_TOLD = 0, 1, 2
BATCH_SIZE = 200
# Who was told, by role (ESCALATED event data): never their addresses.
TO_PARTY, TO_PARTY_MANAGER, TO_MANAGERS = "party", "party_manager", "managers"


@dataclass(frozen=True)
class EscalationPolicy:
    time_zone: str = DEFAULT_TIME_ZONE
    manager_after_working_days: int = 2

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EscalationPolicy:
        return cls(time_zone=config["TIMEZONE"],
                   manager_after_working_days=int(config["ESCALATION_MANAGER_AFTER_WORKING_DAYS"]))


@dataclass(frozen=True)
class EscalationSummary:
    parties_reminded: int
    managers_told: int

    @property
    def total(self) -> int:
        return self.parties_reminded + self.managers_told


def escalate_overdue_reports(session: Session, policy: EscalationPolicy, now: datetime,
                             batch_size: int = BATCH_SIZE) -> EscalationSummary:
    """Escalate every open report that is due for its next level; commits each batch.

    The manager step runs first, so a report climbs at most one level per run: its party
    is reminded before its manager hears of it, even after the check was stopped for days.
    """
    manager_due_before = late_since(now, policy.manager_after_working_days, policy.time_zone)
    managers = _escalate_all(session, PARTY_TOLD, manager_due_before, batch_size)
    parties = _escalate_all(session, NOT_ESCALATED, now, batch_size)
    if managers or parties:
        log.info("Overdue reports escalated: %d parties reminded, %d managers told",
                 parties, managers)
    return EscalationSummary(parties_reminded=parties, managers_told=managers)


def _escalate_all(session: Session, from_level: int, due_before: datetime,
                  batch_size: int) -> int:
    total = 0
    while True:
        escalated = _escalate_batch(session, from_level, due_before, batch_size)
        session.commit()
        total += escalated
        if escalated < batch_size:
            return total


def _escalate_batch(session: Session, from_level: int, due_before: datetime,
                    limit: int) -> int:
    # Index-friendly: a range on due_at with equality on the level (and the open statuses).
    candidates = (
        select(Report.id)
        .where(Report.escalation_level == from_level, Report.due_at < due_before,
               Report.status.in_(sorted(OPEN_STATUSES)))
        .order_by(Report.due_at, Report.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    level = from_level + 1
    rows = session.execute(
        update(Report)
        # Checked again on the locked row: a concurrent run or a reassignment wins cleanly.
        .where(Report.id.in_(candidates.scalar_subquery()),
               Report.escalation_level == from_level)
        # An internal step: updated_at (public, e.g. Open311's updated_datetime) stays.
        .values(escalation_level=level, updated_at=Report.updated_at)
        .returning(Report.id, Report.assigned_party_id, Report.due_at),
        execution_options={"synchronize_session": False},
    ).all()
    told = _told_by_role(session, level, [row.assigned_party_id for row in rows])
    for row in rows:
        session.add(ReportEvent(
            report_id=row.id, kind=EventKind.ESCALATED, actor="system", is_public=False,
            data={"level": level, "to": told(row.assigned_party_id),
                  "due_at": row.due_at.isoformat()},
        ))
        record_side_effect(session, OutboxTopic.REPORT_ESCALATED, report_id=row.id, level=level)
    return len(rows)


def _told_by_role(session: Session, level: int,
                  party_ids: list[int | None]) -> Callable[[int | None], str]:
    """Who the step tells, by role, for a report of each party."""
    if level == PARTY_TOLD:
        return lambda party_id: TO_PARTY
    known = {party_id for party_id in party_ids if party_id is not None}
    with_manager = set(session.scalars(
        select(Party.id).where(Party.id.in_(known), Party.manager_email.is_not(None),
                               Party.manager_email != "")
    )) if known else set()
    return lambda party_id: TO_PARTY_MANAGER if party_id in with_manager else TO_MANAGERS

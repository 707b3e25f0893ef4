"""The triage queue: open reports without a point or without a party, oldest first.

Staff who may reassign (admins, managers) pin, re-categorise and reassign them from the
report's page; the report then routes again (services/reports/reassignment.py).
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Action
from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.models import Report, StaffUser
from feedbackgis.services.staff.access import user_may

QUEUE_LIMIT = 200


def triage_queue(session: Session, user: StaffUser) -> list[Report]:
    if not user_may(user, Action.REASSIGN):
        return []
    return list(session.scalars(
        select(Report)
        .where(Report.status.in_(sorted(OPEN_STATUSES)),
               or_(Report.status == ReportStatus.TRIAGE, Report.location.is_(None),
                   Report.assigned_party_id.is_(None)))
        .order_by(Report.created_at, Report.id).limit(QUEUE_LIMIT)))

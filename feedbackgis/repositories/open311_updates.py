"""The public updates of public reports (mySociety's GET servicerequestupdates).

An update is a public event that changed the status (not the submission itself) or a public
reply. Of it only the public: its id, the request, the status after it, its public text and
when. Never who acted (a staff member's name), an internal event or note, or a contact.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from feedbackgis.models import EventKind, Report, ReportEvent


@dataclass(frozen=True)
class UpdateRow:
    event_id: int
    report_id: int
    status: str  # the report's status after the event
    note: str | None
    created_at: datetime


def _status_after():  # noqa: ANN202
    # A reply changes no status: the report's status then is the latest one set in public
    # up to it. An internal change is not told, not even by the status a reply shows.
    earlier = aliased(ReportEvent)
    return (select(earlier.to_status)
            .where(earlier.report_id == ReportEvent.report_id, earlier.id <= ReportEvent.id,
                   earlier.to_status.is_not(None), earlier.is_public.is_(True))
            .order_by(earlier.id.desc()).limit(1).correlate(ReportEvent).scalar_subquery())


def public_updates(session: Session, *, report_ids: Collection[int] | None = None,
                   start: datetime | None = None, end: datetime | None = None,
                   limit: int) -> list[UpdateRow]:
    """Public updates of public reports, oldest first (a client syncing by start_date goes
    on from the last it saw), at most `limit`."""
    query = (
        select(ReportEvent.id, ReportEvent.report_id,
               func.coalesce(ReportEvent.to_status, _status_after(), Report.status)
               .label("status"),
               ReportEvent.note, ReportEvent.created_at)
        .join(Report, Report.id == ReportEvent.report_id)
        .where(Report.is_public.is_(True), ReportEvent.is_public.is_(True),
               or_(ReportEvent.kind == EventKind.REPLY,
                   and_(ReportEvent.to_status.is_not(None),
                        ReportEvent.kind != EventKind.SUBMITTED)))
    )
    if report_ids is not None:
        query = query.where(ReportEvent.report_id.in_(list(report_ids)))
    if start is not None:
        query = query.where(ReportEvent.created_at >= start)
    if end is not None:
        query = query.where(ReportEvent.created_at <= end)
    rows = session.execute(query.order_by(ReportEvent.created_at, ReportEvent.id).limit(limit))
    return [UpdateRow(r.id, r.report_id, str(r.status), r.note, r.created_at) for r in rows]

"""Reads of reports: the public view, the reporter's view by token, staff listings."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.tokens import hash_token
from feedbackgis.errors import NotFound
from feedbackgis.models import Report


def get_public_report(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None or not report.is_public:
        raise NotFound(f"No public report with id {report_id}.")
    return report


def get_report_by_token(session: Session, token: str) -> Report:
    report = session.scalar(select(Report).where(Report.follow_up_token_hash == hash_token(token)))
    if report is None:
        raise NotFound("This follow-up link is not valid.")
    return report


def list_reports(session: Session, status: ReportStatus | None = None,
                 limit: int = 50) -> list[Report]:
    """Newest reports first, optionally of one status (e.g. those waiting in triage)."""
    query = select(Report).order_by(Report.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Report.status == status)
    return list(session.scalars(query))

"""change_status: move a report through its statuses, with an event and its side effects."""
from __future__ import annotations

from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import ReportStatus, check_transition
from feedbackgis.errors import Conflict, NotFound
from feedbackgis.models import EventKind, OutboxTopic, Report, ReportEvent
from feedbackgis.services.outbox import record_side_effect


def change_status(
    session: Session, report_id: int, target: ReportStatus, *, actor: str,
    note: str | None = None, public: bool = True,
) -> ReportEvent:
    """Change the status and commit. A public change (with its note, the answer to the
    resident) is told to the reporter and the followers; an internal one is only recorded."""
    # Lock the report row only: PostgreSQL refuses a plain FOR UPDATE over the outer joins
    # that load the report's category and party.
    report = session.get(Report, report_id, with_for_update={"of": Report})
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    try:
        check_transition(report.status, target)
    except ValueError as exc:
        raise Conflict(str(exc), field="status") from exc
    event = ReportEvent(kind=EventKind.STATUS_CHANGED, actor=actor, from_status=report.status,
                        to_status=target, note=note, is_public=public)
    report.status = target
    report.events.append(event)
    session.flush()
    if public:
        record_side_effect(session, OutboxTopic.REPORT_STATUS_CHANGED, report_id=report.id,
                           event_id=event.id)
    session.commit()
    return event

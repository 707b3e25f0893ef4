"""The automatic answer: a report entering a status tells its reporter the admins' ready text.

Every service that sets a report's status calls apply_auto_response with the event it
recorded. When the report's category (or every category) has an automatic template for the
new status and the reporter left an email, the change becomes public with the template's text,
in the report's language, as its note; the reporter and the followers are then told through
REPORT_STATUS_CHANGED like any public change.

What staff wrote wins over the template and is never published against their choice: a
public note of their own is the answer (no template); an internal note on an otherwise
internal change is kept, as an internal note event of its own, while the change itself
becomes public with the template's text.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from feedbackgis.domain.response_texts import fill_placeholders
from feedbackgis.i18n import LANGUAGES
from feedbackgis.models import EventKind, OutboxTopic, Report, ReporterContact, ReportEvent
from feedbackgis.services.catalog.response_templates import template_for_auto_response
from feedbackgis.services.outbox import record_side_effect


def apply_auto_response(session: Session, report: Report, event: ReportEvent) -> bool:
    """Make `event` (already added to `report`, not yet committed) the automatic answer
    when one applies, and record REPORT_STATUS_CHANGED for it. Returns whether it did; a
    caller that records REPORT_STATUS_CHANGED for public events itself does so only when
    this returns False (a second row would be harmless, but is noise)."""
    if event.to_status is None or (event.is_public and _written(event.note)):
        return False
    template = template_for_auto_response(session, report, event.to_status)
    if template is None or not _reporter_to_tell(session, report):
        return False
    if _written(event.note):
        report.events.append(ReportEvent(
            kind=EventKind.NOTE, actor=event.actor, staff_user_id=event.staff_user_id,
            note=event.note, is_public=False))
    language = report.language if report.language in LANGUAGES else LANGUAGES[0]
    event.note = fill_placeholders(template.text(language), report_id=report.id,
                                   category=report.category.name(language))
    event.is_public = True
    event.data = {**(event.data or {}), "auto_response_template_id": template.id}
    session.flush()
    record_side_effect(session, OutboxTopic.REPORT_STATUS_CHANGED, report_id=report.id,
                       event_id=event.id)
    return True


def _written(note: str | None) -> bool:
    return bool(note and note.strip())


def _reporter_to_tell(session: Session, report: Report) -> bool:
    """Whether the reporter left an email (the answer goes there; an anonymous report's
    change stays as staff chose it)."""
    contact = session.get(ReporterContact, report.id)
    return contact is not None and bool((contact.email or "").strip())

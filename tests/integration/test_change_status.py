"""change_status against PostGIS: the lock, the event, and the outbox row of a public change."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.errors import Conflict
from feedbackgis.models import OutboxMessage
from feedbackgis.services.reports.status import change_status

from .factories import make_category, make_party, make_report


def _report(session):
    return make_report(session, make_category(session), party=make_party(session))


def _outbox(session):
    return [(m.topic, m.payload) for m in session.scalars(select(OutboxMessage))]


def test_a_public_change_records_a_public_event_and_tells_the_outbox(session):
    report = _report(session)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff",
                          note="Työ alkaa maanantaina")
    assert (event.from_status, event.to_status, event.is_public) == (
        ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS, True)
    assert report.status is ReportStatus.IN_PROGRESS
    assert _outbox(session) == [("report.status_changed",
                                 {"report_id": report.id, "event_id": event.id})]


def test_an_internal_change_is_recorded_but_tells_nobody(session):
    report = _report(session)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff",
                          public=False)
    assert event.is_public is False
    assert _outbox(session) == []


def test_a_transition_the_rules_forbid_is_a_conflict(session):
    report = _report(session)
    with pytest.raises(Conflict):
        change_status(session, report.id, ReportStatus.CLOSED, actor="staff")

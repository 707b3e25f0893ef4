"""A notification job that runs twice (a retry, a duplicate) sends each email once."""
from __future__ import annotations

import pytest

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.services.notifications.report_notifications import (
    notify_followers_of_update,
    notify_party_of_assignment,
    notify_reporter_of_submission,
    notify_reporter_of_update,
)
from feedbackgis.services.reports.status import change_status

from .factories import make_category, make_follower, make_party, make_report


def _party(session, smtp, links, report, event):
    return notify_party_of_assignment(session, smtp, links, report_id=report.id,
                                      party_id=report.assigned_party_id, outbox_id=7)


def _submission(session, smtp, links, report, event):
    return notify_reporter_of_submission(session, smtp, links, report_id=report.id,
                                         outbox_id=7)


def _reporter_update(session, smtp, links, report, event):
    return notify_reporter_of_update(session, smtp, links, report_id=report.id,
                                     event_id=event.id)


def _followers(session, smtp, links, report, event):
    return notify_followers_of_update(session, smtp, links, report_id=report.id,
                                      event_id=event.id)


@pytest.mark.parametrize("notify", [_party, _submission, _reporter_update, _followers],
                         ids=["party", "submission", "reporter-update", "followers"])
def test_running_a_notification_twice_sends_it_once(session, smtp, links, mail_sink, notify):
    party = make_party(session, emails=["valot@urakoitsija.example"])
    report = make_report(session, make_category(session), party=party,
                         contact={"email": "asukas@example.fi"})
    make_follower(session, report)
    event = change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="staff")
    assert notify(session, smtp, links, report, event) == 1
    assert notify(session, smtp, links, report, event) == 0
    assert len(mail_sink.messages) == 1

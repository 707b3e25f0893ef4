"""Nightly housekeeping: old records go, anything still needed stays."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from feedbackgis.jobs.maintenance import check_overdue_reports, nightly_maintenance
from feedbackgis.models import Notification, OutboxMessage

NOW = datetime(2026, 11, 28, 3, 30, tzinfo=UTC)


def _outbox(session, done_days_ago, relayed_days_ago=None):
    done = None if done_days_ago is None else NOW - timedelta(days=done_days_ago)
    relayed = None if relayed_days_ago is None else NOW - timedelta(days=relayed_days_ago)
    row = OutboxMessage(topic="report.submitted", payload={"report_id": 1}, done_at=done,
                        relayed_at=relayed or done)
    session.add(row)
    return row


def test_done_outbox_rows_are_pruned_after_thirty_days_rows_not_done_never(session):
    from feedbackgis.services.maintenance.housekeeping import prune_outbox

    old, recent = _outbox(session, 31), _outbox(session, 29)
    unsent = _outbox(session, None)
    # Relayed long ago but its jobs never finished: still the record of work to do.
    relayed_not_done = _outbox(session, None, relayed_days_ago=90)
    session.commit()
    assert prune_outbox(session, NOW) == 1
    left = set(session.scalars(select(OutboxMessage.id)))
    assert left == {recent.id, unsent.id, relayed_not_done.id} and old.id not in left


def test_notification_records_with_addresses_are_deleted_after_retention(session):
    from feedbackgis.services.maintenance.housekeeping import prune_notifications

    for key, age in (("old", 181), ("recent", 10)):
        session.add(Notification(idempotency_key=key, kind="reporter_submitted",
                                 recipient=f"{key}@example.fi", language="fi",
                                 created_at=NOW - timedelta(days=age)))
    session.commit()
    assert prune_notifications(session, NOW) == 1
    assert session.scalars(select(Notification.recipient)).all() == ["recent@example.fi"]


def test_the_periodic_jobs_run_and_report_what_they_did(app, session):
    with app.app_context():
        summary = nightly_maintenance()
        assert set(summary) == {"outbox_rows_pruned", "notifications_pruned",
                                "unconfirmed_subscriptions_purged", "idempotency_keys_pruned",
                                "unattached_photos_pruned", "prepared_files_deleted"}
        assert check_overdue_reports() == 0  # no report, so none to escalate


def test_idempotency_keys_are_pruned_after_a_day(session):
    from feedbackgis.models import IdempotentRequest
    from feedbackgis.services.reports.idempotency import prune_keys

    for hours, key in ((25, "old"), (23, "recent")):
        session.add(IdempotentRequest(key_hash=key, operation="POST /api/v1/reports",
                                      fingerprint="f", response={},
                                      created_at=NOW - timedelta(hours=hours)))
    session.commit()
    assert prune_keys(session, NOW) == 1
    assert set(session.scalars(select(IdempotentRequest.key_hash))) == {"recent"}

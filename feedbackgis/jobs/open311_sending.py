"""Open311 jobs: a report sent to its party's own Open311 system (on assignment, and when an
admin sends a failed one again), and the periodic pull of that system's updates.

The sending job raises on a failure, so the retry policy of every job (JOB_RETRY_INTERVALS)
sends it again; the delivery row becomes FAILED on the attempt after which RQ retries no
more (the job's retries_left is 0), so a report that could not be sent is never dropped
silently. A call outside RQ (no current job) has no retry to come: it is the last attempt.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import current_app
from rq import get_current_job
from sqlalchemy.orm import Session

from feedbackgis.jobs.context import job_session
from feedbackgis.models import Party
from feedbackgis.services.open311 import pulling, sending
from feedbackgis.services.open311.party_system import redacted
from feedbackgis.services.open311.sending_form import Open311SendSettings

log = logging.getLogger(__name__)


def _last_attempt() -> bool:
    job = get_current_job()
    return job is None or not job.retries_left


def send_report_to_party_open311(report_id: int, party_id: int) -> bool:
    with job_session() as session:
        return sending.send_report(
            session, Open311SendSettings.from_config(current_app.config),
            report_id=report_id, party_id=party_id, last_attempt=_last_attempt())


def _due(now: datetime, every_minutes: int) -> bool:
    # The schedule runs this every minute (jobs/schedule.py); OPEN311_PULL_MINUTES says
    # which of those minutes pull.
    return int(now.timestamp() // 60) % max(1, every_minutes) == 0


def pull_open311_updates(force: bool = False) -> dict[str, int]:
    """Every OPEN311_PULL_MINUTES: each active party's Open311 system asked for its tokens
    and updates, each on its own (one that breaks is recorded and the others pulled);
    returns the totals."""
    now = datetime.now(UTC)
    totals = {"parties": 0, "applied": 0, "skipped": 0, "tokens_resolved": 0, "failed": 0}
    with job_session() as session:
        config = current_app.config
        if not force and not _due(now, int(config["OPEN311_PULL_MINUTES"])):
            return totals
        settings = Open311SendSettings.from_config(config)
        time_zone = config["TIMEZONE"]
        for party_id in pulling.parties_to_pull(session):
            try:
                outcome = pulling.pull_party(
                    session, party_id, timeout=settings.timeout, now=now, time_zone=time_zone,
                    fix_check_days=int(config["FIX_CHECK_DAYS"]))
            except Exception as exc:  # noqa: BLE001 - one party's failure must not stop the rest
                session.rollback()
                _record_broken_pull(session, party_id, exc)
                outcome = pulling.PullOutcome(failed=True)
            totals["parties"] += 1
            totals["applied"] += outcome.applied
            totals["skipped"] += outcome.skipped
            totals["tokens_resolved"] += outcome.tokens_resolved
            totals["failed"] += int(outcome.failed)
    return totals


def _record_broken_pull(session: Session, party_id: int, exc: Exception) -> None:
    # The kind only on the party's record; the log has the message too, without the key
    # (record_pull_error and redacted take it out), never a traceback's locals.
    text = f"Open311 pull of party {party_id} broke: {type(exc).__name__}"
    try:
        party = session.get(Party, party_id)
        log.error("%s: %s", text, redacted(party, str(exc)) if party is not None else "")
        pulling.record_pull_error(session, party_id, text)
    except Exception:  # noqa: BLE001 - the database itself may be what broke
        session.rollback()
        log.exception("The failure of party %s's pull could not be recorded", party_id)

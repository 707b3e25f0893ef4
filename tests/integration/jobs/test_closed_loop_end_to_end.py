"""The closed loop end to end: a report marked fixed, the relay, a real worker and the SMTP
sink; the reporter gets "Is it fixed?" (one email, not two), follows the "no" link from it
(GET, then the form's POST), and the report is reopened to the same party with a new due
date, counted against it, and the party gets the work order again."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import db
from feedbackgis.jobs.reconcile import reconcile_all
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.models import EventKind, OutboxMessage, Report, ReportEvent
from feedbackgis.services.reports.status import change_status
from tests.integration.fix_check_links import answer_link, path_of
from tests.integration.mail_checks import text_of

from .helpers import PARTY_EMAIL, REPORTER_EMAIL, seed_lighting, submit


def _relay(app, redis_server) -> int:
    return relay_batch(db.session_factory(), redis_server.client(), app.config)


def _all_done(app, redis_server, committed) -> bool:
    """Every outbox row's jobs finished (as the relay's reconciliation finds them)."""
    reconcile_all(db.session_factory(), redis_server.client(), app.config)
    committed.expire_all()
    return committed.scalar(select(OutboxMessage.id).where(OutboxMessage.done_at.is_(None))
                            .limit(1)) is None


def _report(committed, report_id: int) -> Report:
    committed.expire_all()
    return committed.get(Report, report_id)


def test_not_fixed_from_the_email_reopens_the_report_to_the_same_party_with_a_new_due_date(
        app, committed, redis_server, smtp, mail_sink, drain):
    seed_lighting(committed)
    report_id = submit(app)["id"]
    assert _relay(app, redis_server) == 2  # the receipt, the work order
    drain(lambda: len(mail_sink.messages) >= 2)
    party_id = _report(committed, report_id).assigned_party_id
    # Late and escalated once by the time it is fixed.
    committed.execute(update(Report).where(Report.id == report_id).values(
        due_at=datetime.now(UTC) - timedelta(days=20), escalation_level=1))
    committed.commit()

    change_status(committed, report_id, ReportStatus.FIXED, actor="Valaistus Oy",
                  note="Lamppu vaihdettu.", time_zone=app.config["TIMEZONE"],
                  fix_check_days=app.config["FIX_CHECK_DAYS"])
    assert _relay(app, redis_server) == 2  # the public change, and the question
    drain(lambda: len(mail_sink.to(REPORTER_EMAIL)) >= 2)
    drain(lambda: _all_done(app, redis_server, committed))
    # One email about the fix: the question, which carries the note (no "dealt with" too).
    receipt, question = mail_sink.to(REPORTER_EMAIL)
    text = text_of(question)
    assert "Lamppu vaihdettu." in text and f"#{report_id}" in question["Subject"]

    base = app.config["PUBLIC_BASE_URL"]
    client = app.test_client()
    no_path = path_of(answer_link(text, base, "no"), base)
    page = client.get(no_path)
    assert page.status_code == 200
    assert _report(committed, report_id).status is ReportStatus.FIXED  # GET answers nothing
    html = page.get_data(as_text=True)
    form = re.search(r'<form method="post" enctype="multipart/form-data" action="([^"]+)"', html)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    answered = client.post(form.group(1).replace("&amp;", "&"), data={
        "csrf_token": csrf, "answer": "no", "text": "Valo ei vieläkään pala."})
    assert answered.status_code == 303

    reopened = _report(committed, report_id)
    assert (reopened.status, reopened.assigned_party_id) == (ReportStatus.IN_PROGRESS, party_id)
    assert reopened.due_at > datetime.now(UTC) and reopened.escalation_level == 0
    assert (reopened.reopen_count, reopened.fix_check_until) == (1, None)
    event = committed.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id)
                              .order_by(ReportEvent.id.desc())).first()
    assert (event.kind, event.is_public, event.data["party_id"]) == (
        EventKind.REOPENED, True, party_id)

    assert _relay(app, redis_server) == 1
    drain(lambda: len(mail_sink.to(PARTY_EMAIL)) >= 2)
    work_order, again = mail_sink.to(PARTY_EMAIL)
    assert f"#{report_id}" in again["Subject"] and again["Subject"] != work_order["Subject"]
    party_text = text_of(again)
    assert "Valo ei vieläkään pala." in party_text and f"/staff/reports/{report_id}" in party_text
    drain(lambda: _all_done(app, redis_server, committed))
    # The reporter answered on the page: no email about their own answer.
    assert len(mail_sink.to(REPORTER_EMAIL)) == 2

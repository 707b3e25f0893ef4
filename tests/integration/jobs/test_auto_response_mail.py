"""The automatic answer end to end: a status change, the relay, a real worker, the email."""
from __future__ import annotations

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import db
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.services.catalog.response_templates import TemplateFields, create_template
from feedbackgis.services.reports.status import change_status
from tests.integration.factories import make_category, make_follower, make_party, make_report
from tests.integration.mail_checks import html_of, text_of

REPORTER, FOLLOWER = "aino@example.fi", "seuraaja@example.fi"


def test_the_reporter_and_a_follower_get_the_automatic_answer_by_email(
        app, committed, redis_server, smtp, mail_sink, drain):
    category = make_category(committed, "bench")
    report = make_report(committed, category, party=make_party(committed), language="sv",
                         contact={"email": REPORTER})
    make_follower(committed, report, FOLLOWER, language="sv")
    committed.commit()
    create_template(committed, TemplateFields(
        status="fixed", category=None, title="Åtgärdad", auto_response=True,
        text_fi="Korjattu #{id}.", text_sv="Anmälan #{id} ({category}) är åtgärdad. Tack!",
        text_en="Report #{id} is fixed."))
    change_status(committed, report.id, ReportStatus.FIXED, actor="staff", public=False)

    # The change, and the question "is it fixed?" that carries the answer to the residents.
    assert relay_batch(db.session_factory(), redis_server.client(), app.config) == 2
    drain(lambda: len(mail_sink.messages) >= 2)
    answer = f"Anmälan #{report.id} (bench sv) är åtgärdad. Tack!"
    [to_reporter] = mail_sink.to(REPORTER)
    assert answer in text_of(to_reporter) and answer in html_of(to_reporter)
    assert "Korjattu" not in text_of(to_reporter)
    [to_follower] = mail_sink.to(FOLLOWER)
    assert answer in text_of(to_follower)

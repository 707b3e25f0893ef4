"""The closed loop's emails: "is it fixed?" to the reporter and the followers, once each and
only while the check is open; a "no" told to the party (the work order again) and to the
other residents."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from feedbackgis.domain.fix_check import QuestionState
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.models import PartyKind, ReportEvent
from feedbackgis.services.notifications.fix_check_notifications import (
    ask_followers_if_fixed,
    ask_reporter_if_fixed,
    notify_party_of_reopening,
    notify_residents_of_reopening,
)
from feedbackgis.services.reports.fix_answers import (
    AnswerLink,
    answer_not_fixed,
    find_question,
    fix_check_token,
)
from feedbackgis.services.reports.status import change_status

from .factories import SECRET_KEY, make_category, make_follower, make_party, make_report
from .fix_check_links import answer_link, path_of
from .mail_checks import everything_in, html_of, text_of

REPORTER = "aino@example.fi"
PARTY_EMAIL = "valot@example.fi"


def _report(session, *, party=None, public=True, language="en", contact=True):
    party = party or make_party(session, "Valot", emails=[PARTY_EMAIL, "VALOT@example.fi "])
    return make_report(session, make_category(session, share_contact_with_party=True),
                       party=party, public=public, language=language,
                       contact={"email": REPORTER, "name": "Aino Asukas"} if contact else None)


def _fix(session, report, **extra):
    return change_status(session, report.id, ReportStatus.FIXED, actor="Valot",
                         note="New lamp <b>fitted</b>.", **extra)


def _ask(session, smtp, links, report, event, who=ask_reporter_if_fixed):
    return who(session, smtp, links, report_id=report.id, event_id=event.id,
               time_zone="Europe/Helsinki")


def _no_by_reporter(session, report, text="Still dark."):
    link = AnswerLink("reporter", report.id, fix_check_token(SECRET_KEY, report.follow_up_nonce))
    answer_not_fixed(session, SECRET_KEY, link, text=text, time_zone="Europe/Helsinki")
    return session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)
                           .order_by(ReportEvent.id.desc())).first()


def test_the_reporter_is_asked_with_links_that_open_the_question_and_answer_nothing(
        session, smtp, links, mail_sink, client):
    report = _report(session)
    assert _ask(session, smtp, links, report, _fix(session, report)) == 1
    [message] = mail_sink.messages
    assert message["To"] == REPORTER
    assert message["Subject"] == f"Is it fixed? Your report #{report.id}"
    text, html = text_of(message), html_of(message)
    assert "New lamp <b>fitted</b>." in text and "New lamp &lt;b&gt;fitted&lt;/b&gt;." in html
    for answer in ("yes", "no"):
        url = answer_link(text, links.base_url, answer)
        assert url.startswith(f"{links.base_url}/fixed/reporter/{report.id}/")
        assert url.endswith(f"?answer={answer}&lang=en") and f'href="{url.replace("&", "&amp;")}"' in html
        page = client.get(path_of(url, links.base_url))
        assert page.status_code == 200 and "Is it fixed?" in page.get_data(as_text=True)
    # Opening the links (as a mail scanner does) answered nothing.
    assert report.status is ReportStatus.FIXED
    assert "/follow/" in text


def test_followers_of_a_public_report_are_asked_in_their_language_with_their_own_links(
        session, smtp, links, mail_sink):
    report = _report(session)
    first = make_follower(session, report, "sv@example.fi", language="sv")
    make_follower(session, report, "unconfirmed@example.fi", confirmed=False)
    make_follower(session, report, REPORTER.upper())  # the reporter follows too: asked once
    event = _fix(session, report)
    assert _ask(session, smtp, links, report, event, ask_followers_if_fixed) == 1
    [message] = mail_sink.to("sv@example.fi")
    assert message["List-Unsubscribe"].startswith(f"<{links.base_url}")
    assert '<html lang="sv">' in html_of(message)
    assert f"/fixed/follower/{first.id}/" in text_of(message)
    everything = everything_in(message)
    for secret in (REPORTER, "Aino Asukas", "/follow/", "/fixed/reporter/"):
        assert secret not in everything


def test_followers_of_a_report_off_the_public_map_are_not_asked(session, smtp, links, mail_sink):
    report = _report(session, public=False)
    make_follower(session, report, "f@example.fi")
    assert _ask(session, smtp, links, report, _fix(session, report), ask_followers_if_fixed) == 0
    assert mail_sink.messages == []


def test_the_question_goes_once_however_often_the_job_runs(session, smtp, links, mail_sink):
    report = _report(session)
    make_follower(session, report, "f@example.fi")
    event = _fix(session, report)
    for _ in range(2):
        _ask(session, smtp, links, report, event)
        _ask(session, smtp, links, report, event, ask_followers_if_fixed)
    assert sorted(m["To"] for m in mail_sink.messages) == [REPORTER, "f@example.fi"]


def test_nobody_is_asked_about_a_check_that_ended_before_the_job_ran(
        session, smtp, links, mail_sink):
    report = _report(session)
    make_follower(session, report, "f@example.fi")
    event = _fix(session, report)
    change_status(session, report.id, ReportStatus.IN_PROGRESS, actor="Valot")
    assert _ask(session, smtp, links, report, event) == 0
    assert _ask(session, smtp, links, report, event, ask_followers_if_fixed) == 0
    assert mail_sink.messages == []


def test_an_internal_change_to_fixed_asks_without_its_internal_note(
        session, smtp, links, mail_sink):
    report = _report(session)
    event = _fix(session, report, public=False)
    assert _ask(session, smtp, links, report, event) == 1
    assert "fitted" not in everything_in(mail_sink.messages[0])


def test_an_anonymous_report_asks_nobody(session, smtp, links, mail_sink):
    report = _report(session, contact=False)
    assert _ask(session, smtp, links, report, _fix(session, report)) == 0


@pytest.fixture
def english(links):
    """Links of a municipality whose parties read English (DEFAULT_LANGUAGE en)."""
    return replace(links, default_language="en")


def test_a_no_gives_a_unit_the_work_order_again_with_the_words_and_the_new_due_date(
        session, smtp, english, mail_sink):
    links = english
    report = _report(session)
    _fix(session, report)
    event = _no_by_reporter(session, report, text="Still <i>dark</i>.")
    sent = notify_party_of_reopening(session, smtp, links, report_id=report.id,
                                     event_id=event.id, time_zone="Europe/Helsinki")
    assert sent == 1  # the party's two spellings of one address: one email
    [message] = mail_sink.messages
    assert message["To"] == PARTY_EMAIL and message["Subject"].startswith("Reopened: ")
    text = text_of(message)
    assert "Still <i>dark</i>." in text and f"/staff/reports/{report.id}" in text
    assert report.due_at is not None and report.due_at > datetime.now(UTC)
    assert "Reopened 1 time" in text
    assert notify_party_of_reopening(session, smtp, links, report_id=report.id,
                                     event_id=event.id) == 0  # once


def test_a_contractor_gets_its_new_work_order_link(session, smtp, links, mail_sink):
    contractor = make_party(session, "Valot Oy", kind=PartyKind.CONTRACTOR, emails=[PARTY_EMAIL])
    report = _report(session, party=contractor)
    _fix(session, report)
    event = _no_by_reporter(session, report)
    notify_party_of_reopening(session, smtp, links, report_id=report.id, event_id=event.id)
    assert report.work_order_nonce is not None
    assert links.work_order_link(report) in text_of(mail_sink.messages[0])


def test_a_party_given_the_report_since_is_not_told_of_the_reopening(
        session, smtp, links, mail_sink):
    report = _report(session)
    _fix(session, report)
    event = _no_by_reporter(session, report)
    report.assigned_party_id = make_party(session, emails=["other@example.fi"]).id
    session.flush()
    assert notify_party_of_reopening(session, smtp, links, report_id=report.id,
                                     event_id=event.id) == 0


def test_the_other_residents_hear_of_the_reopening_but_not_the_one_who_answered(
        session, smtp, links, mail_sink):
    report = _report(session)
    answering = make_follower(session, report, "answering@example.fi")
    make_follower(session, report, "other@example.fi")
    session.commit()
    _fix(session, report)
    link = AnswerLink("follower", answering.id, fix_check_token(SECRET_KEY, answering.token_nonce))
    answer_not_fixed(session, SECRET_KEY, link)
    event = session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)
                            .order_by(ReportEvent.id.desc())).first()
    assert notify_residents_of_reopening(session, smtp, links, report_id=report.id,
                                         event_id=event.id) == 2
    assert sorted(m["To"] for m in mail_sink.messages) == [REPORTER, "other@example.fi"]
    assert "not fixed" in text_of(mail_sink.to(REPORTER)[0])
    assert find_question(session, SECRET_KEY, link).state is QuestionState.ANSWERED


def test_the_reporter_who_said_no_is_not_emailed_about_their_own_answer(
        session, smtp, links, mail_sink):
    report = _report(session)
    _fix(session, report)
    event = _no_by_reporter(session, report)
    assert notify_residents_of_reopening(session, smtp, links, report_id=report.id,
                                         event_id=event.id) == 0

"""The inbox's bulk actions: giving reports to a person (who is emailed, through the outbox,
a worker and SMTP) and changing their status, each report checked on its own and the
refused ones listed after the redirect."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from feedbackgis.errors import InvalidInput
from feedbackgis.extensions import db
from feedbackgis.jobs.relay import relay_batch
from feedbackgis.models import (
    EventKind,
    Notification,
    OutboxMessage,
    OutboxTopic,
    Report,
    ReportEvent,
    StaffUser,
)
from feedbackgis.services.notifications.person_assignment import notify_person_of_assignment
from feedbackgis.services.staff.assignment import Refusal, assign_person
from feedbackgis.services.staff.bulk_status import change_statuses
from tests.integration.mail_checks import html_of, link_in, text_of
from tests.integration.staff.inbox_world import build_inbox_world, sign_in
from tests.integration.staff.staff_world import csrf


@pytest.fixture
def world(session):
    return build_inbox_world(session)


def _user(session, world, name) -> StaffUser:
    return session.get(StaffUser, world.users[name])


def _report(session, report_id) -> Report:
    session.expire_all()
    return session.get(Report, report_id)


def _post(client, data, query=""):
    token = csrf(client, "/staff/")
    return client.post("/staff/bulk", data={"csrf_token": token, "query": query, **data})


def _outbox(session, topic=OutboxTopic.REPORT_PERSON_ASSIGNED):
    return session.scalars(select(OutboxMessage).where(OutboxMessage.topic == topic.value)
                           .order_by(OutboxMessage.id)).all()


def test_bulk_status_changes_the_reports_it_may_and_lists_the_others_with_why(
        client, session, world):
    r = world.reports
    sign_in(client, session, world.users["handler_a"])
    chosen = [r["a_new"], r["a_late"], r["a_fixed"], r["a_waiting"], r["b_open"]]
    response = _post(client, {"action": "status", "status": "waiting",
                              "report": [str(i) for i in chosen]},
                     query="status=assigned&sort=due&order=asc")
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == "/staff/"
    assert parse_qs(location.query) == {"status": ["assigned"], "sort": ["due"],
                                        "order": ["asc"]}
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 reports were moved to the status Waiting." in body
    assert "3 reports did not change:" in body
    assert f"Their status cannot be changed to this one: #{r['a_fixed']}." in body
    assert f"Nothing to change, they were so already: #{r['a_waiting']}." in body
    assert f"Not found among the reports you may see: #{r['b_open']}." in body
    assert [_report(session, i).status for i in chosen] == [
        "waiting", "waiting", "fixed", "waiting", "assigned"]
    event = session.scalar(select(ReportEvent).where(
        ReportEvent.report_id == r["a_new"], ReportEvent.kind == EventKind.STATUS_CHANGED))
    assert event.staff_user_id == world.users["handler_a"] and event.to_status == "waiting"
    assert len(_outbox(session, OutboxTopic.REPORT_STATUS_CHANGED)) == 2  # the reporters told
    # Shown once: the next page load no longer says it.
    assert "were moved" not in client.get("/staff/").get_data(as_text=True)


def test_bulk_assignment_gives_each_report_it_may_and_says_why_not_the_others(
        session, world):
    r, handler = world.reports, _user(session, world, "handler_a")
    colleague = world.users["colleague_a"]
    result = assign_person(session, [r["a_new"], r["a_late"], r["a_late_today"], r["a_fixed"],
                                     r["b_open"], 999_999], colleague, by=handler)
    assert sorted(result.changed) == sorted([r["a_new"], r["a_late"]])
    assert result.refused == {r["a_late_today"]: Refusal.UNCHANGED,
                              r["a_fixed"]: Refusal.NOT_OPEN,
                              r["b_open"]: Refusal.NOT_FOUND, 999_999: Refusal.NOT_FOUND}
    assert _report(session, r["a_late"]).assigned_user_id == colleague
    assert _report(session, r["b_open"]).assigned_user_id == world.users["handler_b"]
    events = session.scalars(select(ReportEvent).where(
        ReportEvent.kind == EventKind.PERSON_ASSIGNED).order_by(ReportEvent.report_id)).all()
    assert [(e.report_id, e.staff_user_id, e.data["user_id"], e.is_public) for e in events] == [
        (r["a_new"], handler.id, colleague, False), (r["a_late"], handler.id, colleague, False)]
    assert events[1].data["previous_user_id"] == handler.id
    assert [m.payload for m in _outbox(session)] == [
        {"report_id": e.report_id, "user_id": colleague, "event_id": e.id} for e in events]


def test_a_person_of_another_party_or_a_role_without_the_right_is_refused(session, world):
    r = world.reports
    admin, moderator = _user(session, world, "admin"), _user(session, world, "moderator")
    result = assign_person(session, [r["a_new"], r["b_late"]], world.users["handler_b"],
                           by=admin)
    assert result.changed == [r["b_late"]] and result.refused == {
        r["a_new"]: Refusal.NOT_OF_PARTY}
    refused = assign_person(session, [r["a_new"]], world.users["colleague_a"], by=moderator)
    assert refused.refused == {r["a_new"]: Refusal.FORBIDDEN} and not refused.changed


def test_assigning_oneself_or_nobody_sends_no_email(session, world):
    r, handler = world.reports, _user(session, world, "handler_a")
    mine = assign_person(session, [r["a_new"]], handler.id, by=handler)
    nobody = assign_person(session, [r["a_late"]], None, by=handler)
    assert mine.changed == [r["a_new"]] and nobody.changed == [r["a_late"]]
    assert _report(session, r["a_late"]).assigned_user_id is None
    assert _outbox(session) == []


@pytest.mark.parametrize("person", ["admin", "disabled"])
def test_only_an_active_person_of_a_party_can_be_given_reports(session, world, person):
    if person == "disabled":
        _user(session, world, "colleague_a").active = False
        session.commit()
        person = "colleague_a"
    with pytest.raises(InvalidInput) as refused:
        assign_person(session, [world.reports["a_new"]], world.users[person],
                      by=_user(session, world, "handler_a"))
    assert refused.value.field == "person"
    assert _report(session, world.reports["a_new"]).assigned_user_id is None


def test_bulk_status_refuses_a_status_that_comes_with_its_own_action(session, world):
    with pytest.raises(InvalidInput) as refused:
        change_statuses(session, [world.reports["a_new"]], "duplicate",
                        by=_user(session, world, "handler_a"))
    assert refused.value.field == "status"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"action": "status", "status": "waiting"}, "report", "Choose at least one report"),
    ({"action": "assign", "report": ["{a_new}"]}, "person", "Choose whom to give the reports"),
    ({"action": "status", "report": ["{a_new}"]}, "status", "Choose the new status"),
    ({"action": "status", "status": "received", "report": ["{a_new}"]}, "status",
     "Choose the new status"),
    ({"action": "burn", "report": ["{a_new}"]}, "action", "Choose what to do"),
    ({"action": "assign", "person": "{handler_b}", "report": ["{a_new}"]}, "person",
     "Choose whom to give the reports"),
    ({"action": "status", "status": "waiting", "report": ["x"]}, "report",
     "Choose at least one report"),
])
def test_a_bulk_form_that_cannot_be_used_gets_the_inbox_again_with_a_422(
        client, session, world, data, field, message):
    sign_in(client, session, world.users["handler_a"])
    ids = {**world.reports, "handler_b": world.users["handler_b"]}
    filled = {key: [v.format(**ids) for v in value] if isinstance(value, list)
              else value.format(**ids) for key, value in data.items()}
    response = _post(client, filled, query="category=" + str(world.lights))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body and f'href="#bulk-{field}"' in body
    assert f'<option value="{world.lights}" selected>' in body  # the inbox as it was
    a_new = world.reports["a_new"]
    ticked = f'id="choose-{a_new}" class="choose-report" checked' in body
    assert ticked is (filled.get("report") == [str(a_new)])  # still ticked, if it was
    assert _report(session, world.reports["a_new"]).status == "assigned"
    assert _outbox(session) == []


def test_a_bulk_form_without_its_csrf_token_is_refused(client, session, world):
    sign_in(client, session, world.users["handler_a"])
    response = client.post("/staff/bulk", data={"action": "status", "status": "waiting",
                                                "report": [str(world.reports["a_new"])]})
    assert response.status_code == 400
    assert _report(session, world.reports["a_new"]).status == "assigned"


def test_going_back_after_a_bulk_action_leads_to_the_inbox_only(client, session, world):
    sign_in(client, session, world.users["handler_a"])
    response = _post(client, {"action": "assign", "person": "me",
                              "report": [str(world.reports["a_new"])]},
                     query="next=//evil.example&x=%0d%0aSet-Cookie:a=b")
    location = response.headers["Location"]
    assert response.status_code == 303 and urlsplit(location).path == "/staff/"
    assert urlsplit(location).netloc in ("", "localhost") and "\r" not in location
    assert "1 report was given to Handler A." in client.get(location).get_data(as_text=True)


def test_a_person_given_reports_in_bulk_is_emailed_a_link_to_each(
        app, committed, redis_server, smtp, mail_sink, drain):
    world = build_inbox_world(committed)
    client = app.test_client()
    client.set_cookie("lang", "en")
    sign_in(client, committed, world.users["handler_a"])
    chosen = [world.reports["a_new"], world.reports["a_unpinned"]]
    response = _post(client, {"action": "assign", "person": str(world.users["colleague_a"]),
                              "report": [str(i) for i in chosen]})
    assert response.status_code == 303
    assert "2 reports were given to Colleague A." in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert len(_outbox(committed)) == 2
    relay_batch(db.session_factory(), redis_server.client(), app.config)
    drain(lambda: len(mail_sink.messages) >= 2)
    base = app.config["PUBLIC_BASE_URL"]
    received = mail_sink.to("colleague_a@city.example.fi")
    assert len(received) == len(mail_sink.messages) == 2
    subjects = {int(re.search(r"\(#(\d+)\)$", m["Subject"]).group(1)): m for m in received}
    assert set(subjects) == set(chosen)
    for report_id, message in subjects.items():
        link = link_in(text_of(message), base, "/staff/reports/")
        assert link == f"{base.rstrip('/')}/staff/reports/{report_id}"
        assert f'href="{link}"' in html_of(message)
        assert "Handler A" in text_of(message)  # who gave it
    # A job run again (a retry, a duplicate) sends nothing more.
    [first, _] = _outbox(committed)
    again = notify_person_of_assignment(
        committed, smtp, _links(app), report_id=first.payload["report_id"],
        user_id=first.payload["user_id"], event_id=first.payload["event_id"])
    assert again == 0 and len(mail_sink.messages) == 2
    assert committed.scalar(select(func.count()).select_from(Notification)) == 2


def _links(app):
    from feedbackgis.mail.links import Links

    return Links.from_config(app.config)


def test_no_email_once_the_report_was_given_to_someone_else(session, world, smtp, links,
                                                            mail_sink):
    r, handler = world.reports, _user(session, world, "handler_a")
    assign_person(session, [r["a_new"]], world.users["colleague_a"], by=handler)
    [row] = _outbox(session)
    assign_person(session, [r["a_new"]], None, by=handler)
    assert notify_person_of_assignment(session, smtp, links, **row.payload) == 0
    assert mail_sink.messages == []


def test_the_person_email_keeps_report_text_as_text(session, world, smtp, links, mail_sink):
    report = _report(session, world.reports["a_new"])
    report.description = "<b>Lamppu</b> & pylväs"
    session.commit()
    assign_person(session, [report.id], world.users["colleague_a"],
                  by=_user(session, world, "handler_a"))
    [row] = _outbox(session)
    assert notify_person_of_assignment(session, smtp, links, **row.payload) == 1
    [message] = mail_sink.messages
    assert "<b>Lamppu</b> & pylväs" in text_of(message)
    assert "&lt;b&gt;Lamppu&lt;/b&gt; &amp; pylväs" in html_of(message)

"""The work-order link: made afresh on every assignment to a party, carried by the
assignment email to a contractor (not to a unit), and ended when the work order is
reassigned, handed back or closed; an ended link opens nothing and changes nothing."""
from __future__ import annotations

import pytest
from shapely.geometry import box

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.extensions import db
from feedbackgis.models import EventKind, PartyKind, Report
from feedbackgis.services.notifications.report_notifications import notify_party_of_assignment
from feedbackgis.services.reports.reassignment import reassign_to_party
from feedbackgis.services.reports.reporter_actions import withdraw_report
from feedbackgis.services.reports.status import change_status
from feedbackgis.services.reports.submission import NewReport, submit_report
from tests.integration.factories import SECRET_KEY, make_category, make_party, make_zone
from tests.integration.mail_checks import html_of, link_in, text_of
from tests.integration.work_orders.work_world import csrf, link_of


def _fresh(report: Report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def _opens(client, link: str) -> bool:
    response = client.get(link)
    assert response.status_code in (200, 404)
    return response.status_code == 200


def test_routing_a_new_report_to_a_contractor_gives_it_a_link(session):
    contractor = make_party(session, kind=PartyKind.CONTRACTOR)
    make_zone(session, contractor, box(24.0, 60.0, 25.5, 60.6))
    make_category(session, "pothole")
    session.commit()
    submitted = submit_report(session, NewReport(category="pothole", description="Kuoppa",
                                                 lon=24.94, lat=60.17, language="fi"),
                              secret_key=SECRET_KEY)
    report = _fresh(submitted.report)
    assert report.status is ReportStatus.ASSIGNED and report.work_order_nonce


def test_a_report_routed_to_triage_has_no_link(session):
    make_category(session, "pothole")
    session.commit()
    submitted = submit_report(session, NewReport(category="pothole", description="Kuoppa",
                                                 lon=24.94, lat=60.17, language="fi"),
                              secret_key=SECRET_KEY)
    assert _fresh(submitted.report).work_order_nonce is None


def test_a_reassigned_work_order_gets_a_new_link_and_the_old_one_stops(client, session, world):
    old_link = link_of(world.a1)
    assert _opens(client, old_link)
    reassign_to_party(session, world.a1.id, world.contractor_b.id, world.users["admin"])
    report = _fresh(world.a1)
    assert report.assigned_party_id == world.contractor_b.id
    new_link = link_of(report)
    assert new_link != old_link
    assert not _opens(client, old_link) and _opens(client, new_link)


def test_an_old_link_changes_nothing_after_reassignment(client, session, world):
    old_link = link_of(world.a1)
    token = csrf(client, old_link)
    reassign_to_party(session, world.a1.id, world.contractor_b.id, world.users["admin"])
    for action, form in (("accept", {}), ("start", {}), ("hand-back", {"reason": "x"})):
        response = client.post(f"{old_link}/{action}", data={**form, "csrf_token": token})
        assert response.status_code == 404
        assert "Lamppu A1" not in response.get_data(as_text=True)
    report = _fresh(world.a1)
    assert report.status is ReportStatus.ASSIGNED
    assert report.assigned_party_id == world.contractor_b.id
    assert EventKind.ACCEPTED not in [event.kind for event in report.events]


@pytest.mark.parametrize("target", [ReportStatus.NOT_OURS, ReportStatus.REJECTED,
                                    ReportStatus.FIXED, ReportStatus.TRIAGE])
def test_a_link_stops_when_the_city_closes_fixes_or_takes_back_the_work_order(
        client, session, world, target):
    link = link_of(world.a1)
    change_status(session, world.a1.id, target, actor="staff")
    assert _fresh(world.a1).work_order_nonce is None
    assert not _opens(client, link)


def test_a_link_stops_when_the_reporter_withdraws_the_report(client, session, world):
    from feedbackgis.services.reports.submission import follow_up_token

    link = link_of(world.a1)
    withdraw_report(session, follow_up_token(world.a1, SECRET_KEY))
    assert _fresh(world.a1).work_order_nonce is None
    assert not _opens(client, link)


def test_a_reopened_work_order_gets_a_new_link(client, session, world):
    link, report_id = link_of(world.a1), world.a1.id
    change_status(session, report_id, ReportStatus.FIXED, actor="staff")
    change_status(session, report_id, ReportStatus.IN_PROGRESS, actor="staff")
    db.session.expire_all()
    report = db.session.get(Report, report_id)
    assert report.work_order_nonce is not None
    new_link = link_of(report)
    assert not _opens(client, link) and _opens(client, new_link)


def test_a_unit_has_no_work_order_page_by_link(client, session, world):
    reassign_to_party(session, world.a1.id, world.unit.id, world.users["admin"])
    report = _fresh(world.a1)
    assert report.work_order_nonce is not None  # every assignment renews it ...
    assert not _opens(client, link_of(report))  # ... but only a contractor's link opens


def test_the_contractors_assignment_email_carries_the_link_that_opens_the_work_order(
        client, session, world, smtp, links, mail_sink):
    sent = notify_party_of_assignment(session, smtp, links, report_id=world.a1.id,
                                      party_id=world.contractor_a.id, outbox_id=1)
    assert sent == 1
    [message] = mail_sink.messages
    text = text_of(message)
    link = link_in(text, links.base_url, "/work/link/")
    assert link == links.work_order_link(_fresh(world.a1))
    assert link in html_of(message)
    assert f"{links.base_url}/staff/reports/{world.a1.id}" in text  # and the staff page
    page = client.get(link.removeprefix(links.base_url))
    assert page.status_code == 200 and "Lamppu A1 ei pala" in page.get_data(as_text=True)


def test_a_units_assignment_email_has_no_work_order_link(
        session, world, smtp, links, mail_sink):
    reassign_to_party(session, world.a1.id, world.unit.id, world.users["admin"])
    notify_party_of_assignment(session, smtp, links, report_id=world.a1.id,
                               party_id=world.unit.id, outbox_id=2)
    [message] = mail_sink.messages
    assert "/work/link/" not in text_of(message) and "/work/link/" not in html_of(message)

"""Due dates set on assignment: the zone's handling time, else the category's."""
from __future__ import annotations

from datetime import UTC, datetime

from shapely.geometry import box

from feedbackgis.domain.due_dates import due_at
from feedbackgis.models import Report
from feedbackgis.services.reports.due_dates import set_due_date
from feedbackgis.services.reports.routing import assign_report
from tests.integration.factories import make_category, make_party, make_report, make_zone

TZ = "Europe/Helsinki"
# Monday 2 March 2026, 10:00 in Helsinki.
AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
AREA = box(24.0, 60.0, 25.5, 60.6)


def _routed(session, *, category_days=10, zone_days=None):
    party = make_party(session, emails=["p@example.fi"])
    zone = make_zone(session, party, AREA)
    zone.handling_days = zone_days
    category = make_category(session)
    category.handling_days = category_days
    report = make_report(session, category)  # in triage, as before routing
    assign_report(session, report, at=AT, time_zone=TZ)
    session.flush()
    return report


def test_an_assigned_report_is_due_after_its_categorys_handling_days(session):
    report = _routed(session, category_days=3)
    assert report.status == "assigned"
    assert report.due_at == due_at(AT, 3, TZ) == datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
    assert report.escalation_level == 0


def test_a_zone_with_its_own_handling_time_overrides_the_category(session):
    report = _routed(session, category_days=10, zone_days=1)
    assert report.due_at == datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def test_a_zone_handling_time_of_zero_days_is_used_not_taken_for_none(session):
    report = _routed(session, category_days=10, zone_days=0)
    assert report.due_at == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def test_a_report_left_in_triage_gets_no_due_date(session):
    category = make_category(session)
    report = make_report(session, category, lon=30.0, lat=69.0)  # outside every zone
    assign_report(session, report, at=AT, time_zone=TZ)
    assert report.status == "triage" and report.due_at is None


def test_a_new_assignment_sets_a_new_due_date_and_starts_escalation_afresh(session):
    report = _routed(session, category_days=2)
    report.escalation_level = 2
    later = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert set_due_date(session, report, later, time_zone=TZ) == due_at(later, 2, TZ)
    assert report.due_at == due_at(later, 2, TZ) and report.escalation_level == 0


def test_a_report_submitted_through_the_api_gets_its_due_date(client, session):
    party = make_party(session)
    make_zone(session, party, AREA)
    category = make_category(session, "pothole")
    category.handling_days = 4
    session.flush()
    before = datetime.now(UTC)
    response = client.post("/api/v1/reports", json={
        "category": "pothole", "location": {"lon": 24.94, "lat": 60.17},
        "description": "Kuoppa", "language": "fi"})
    after = datetime.now(UTC)
    assert response.status_code == 201, response.json
    report = session.get(Report, response.json["id"])
    assert due_at(before, 4, TZ) <= report.due_at <= due_at(after, 4, TZ)

"""The demo municipality: seeded twice gives the same data, and routes as its map says."""
from __future__ import annotations

from sqlalchemy import func, select

from feedbackgis.models import Category, Party, ServiceArea, Zone
from feedbackgis.services.demo.demo_municipality import seed_demo
from feedbackgis.services.reports.submission import NewReport, submit_report


def _counts(session):
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Party, Category, Zone, ServiceArea))


def test_seeding_twice_leaves_the_same_data(session):
    first = seed_demo(session)
    counts = _counts(session)
    second = seed_demo(session)
    assert counts == _counts(session) == (4, 7, 4, 1)
    assert (first.parties_added, second.parties_added) == (4, 0)
    assert second.zones == 4


def test_demo_routes_streetlights_to_the_lighting_contractor_everywhere(session):
    seed_demo(session)
    # Kamppi, Helsinki: inside the western maintenance area of the demo.
    light = submit_report(session, NewReport(category="streetlight", description="Pimeä",
                                             lon=24.93, lat=60.168), secret_key="k")
    pothole = submit_report(session, NewReport(category="pothole", description="Kuoppa",
                                               lon=24.93, lat=60.168), secret_key="k")
    assert light.report.assigned_party.name == "Valaistus Oy"
    assert pothole.report.assigned_party.name == "Katujen kunnossapito"

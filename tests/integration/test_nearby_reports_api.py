"""GET /api/v1/reports/nearby: the possible duplicates the report form offers before sending."""
from __future__ import annotations

import pytest

from feedbackgis.domain.statuses import ReportStatus

from .factories import make_category, make_report

LON, LAT = 24.9384, 60.1699
# At this latitude a degree of longitude is about 55.4 km, a degree of latitude 111.3 km.
METRES_EAST = 1 / 55_400
METRES_NORTH = 1 / 111_300


@pytest.fixture
def pothole(session):
    return make_category(session, "pothole")


def _nearby(client, lon=LON, lat=LAT, category="pothole", **extra):
    return client.get("/api/v1/reports/nearby",
                      query_string={"lon": lon, "lat": lat, "category": category, **extra})


def _ids(response):
    assert response.status_code == 200, response.json
    return [report["id"] for report in response.json["reports"]]


def test_reports_within_the_radius_are_offered_nearest_first(client, session, pothole):
    far = make_report(session, pothole, lon=LON + 74 * METRES_EAST, lat=LAT)
    near = make_report(session, pothole, lon=LON, lat=LAT + 20 * METRES_NORTH)
    make_report(session, pothole, lon=LON + 80 * METRES_EAST, lat=LAT)  # outside 75 m
    session.commit()

    response = _nearby(client)

    assert _ids(response) == [near.id, far.id]
    assert response.json["radius_m"] == 75
    first = response.json["reports"][0]
    assert 19 < first["distance_m"] < 21
    assert first["category"] == {"code": "pothole", "name": "pothole fi"}


def test_the_radius_comes_from_the_duplicate_radius_setting(client, session, pothole, app,
                                                            monkeypatch):
    report = make_report(session, pothole, lon=LON + 150 * METRES_EAST, lat=LAT)
    session.commit()
    assert _ids(_nearby(client)) == []
    monkeypatch.setitem(app.config, "DUPLICATE_RADIUS_M", 200)
    assert _ids(_nearby(client)) == [report.id]


def test_only_reports_of_the_same_category_are_offered(client, session, pothole):
    make_report(session, make_category(session, "graffiti"), lon=LON, lat=LAT)
    same = make_report(session, pothole, lon=LON, lat=LAT)
    session.commit()
    assert _ids(_nearby(client)) == [same.id]
    assert _ids(_nearby(client, category="no-such-category")) == []


@pytest.mark.parametrize("status", [ReportStatus.FIXED, ReportStatus.CLOSED,
                                    ReportStatus.REJECTED])
def test_reports_that_are_dealt_with_are_not_offered(client, session, pothole, status):
    report = make_report(session, pothole, lon=LON, lat=LAT)
    report.status = status
    session.commit()
    assert _ids(_nearby(client)) == []


def test_reports_that_are_not_published_are_not_offered(client, session, pothole):
    make_report(session, pothole, lon=LON, lat=LAT, public=False)
    make_report(session, pothole, lon=None, lat=None, address="Koulun takana")  # no point
    session.commit()
    assert _ids(_nearby(client)) == []


def test_the_answer_has_public_fields_only_and_names_in_the_asked_language(client, session,
                                                                            pothole):
    make_report(session, pothole, lon=LON, lat=LAT, description="Syvä kuoppa",
                address="Mannerheimintie 1",
                contact={"name": "Maija Meikäläinen", "email": "maija@example.fi",
                         "phone": "+358 40 123 4567"})
    session.commit()

    response = _nearby(client, lang="sv")

    body = response.get_data(as_text=True)
    for secret in ("Maija", "maija@example.fi", "123 4567", "follow", "token"):
        assert secret not in body
    report = response.json["reports"][0]
    assert set(report) == {"id", "category", "status", "description", "address",
                           "created_at", "lon", "lat", "distance_m"}
    assert report["category"]["name"] == "pothole sv"
    assert report["description"] == "Syvä kuoppa"
    assert (report["lon"], report["lat"]) == pytest.approx((LON, LAT))


@pytest.mark.parametrize("query", [
    {"lon": "abc", "lat": LAT, "category": "pothole"},
    {"lon": " 24.9", "lat": LAT, "category": "pothole"},
    {"lon": "nan", "lat": LAT, "category": "pothole"},
    {"lon": 181, "lat": LAT, "category": "pothole"},
    {"lon": LON, "lat": -91, "category": "pothole"},
    {"lon": LON, "lat": LAT, "category": ""},
    {"lon": LON, "lat": LAT, "category": "pot\x00hole"},
    {"lat": LAT, "category": "pothole"},
    {"lon": LON, "lat": LAT, "category": "pothole", "lang": "de"},
])
def test_a_malformed_query_is_refused_naming_the_parameter(client, query):
    response = client.get("/api/v1/reports/nearby", query_string=query)
    assert response.status_code == 422
    assert set(response.json["fields"]) & {"lon", "lat", "category", "lang"}


@pytest.mark.parametrize(("lon", "lat"), [(111.91, -9.1e-73), (-179.99, 89.999), (180, -90)])
def test_a_point_anywhere_on_earth_is_answered_even_far_from_the_municipality(client, lon, lat):
    assert _ids(_nearby(client, lon=lon, lat=lat)) == []


"""GET /api/v1/map/reports: clusters counted in PostGIS, or the reports themselves, as a
direct query over the reports would answer; filters; limits; nothing private."""
from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from feedbackgis.domain.map_grid import BoundingBox, grid_window
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.services.public_map import map_view

from ..factories import make_category
from .map_checks import direct_report_ids, direct_viewport_cells, put_report

NOW = datetime.now(UTC)
CITY = (24.80, 60.10, 25.10, 60.26)  # minlon, minlat, maxlon, maxlat
CITY_ZOOM = 11


def _bbox(box) -> str:
    return ",".join(str(v) for v in box)


def _get(client, **params):
    return client.get("/api/v1/map/reports", query_string=params)


@pytest.fixture
def city(session):
    """300 reports: a dense centre, the rest across the city, three years, every status."""
    lights, holes = make_category(session, "streetlight"), make_category(session, "pothole")
    rng = random.Random(11)
    for k in range(300):
        spread = 0.01 if k < 150 else 0.06
        put_report(session, lights if k % 3 else holes, 24.94 + rng.gauss(0, spread * 2),
                   60.17 + rng.gauss(0, spread), status=rng.choice(list(ReportStatus)),
                   public=k % 10 != 0, created_at=NOW - timedelta(days=rng.uniform(0, 1100)),
                   flush=False)
    session.commit()  # a request's session ends in a rollback of what was only flushed
    return {"lights": lights, "holes": holes}


def _window(box, zoom):
    window = grid_window(BoundingBox(*box), zoom)
    return range(window.x_min, window.x_max + 1), range(window.y_min, window.y_max + 1)


def _assert_cells_are(body, expected):
    """The same cells: counts exactly, mean positions to the 6 decimals answered."""
    got = sorted((c["lat"], c["lon"], c["count"]) for c in body["cells"])
    want = sorted((lat, lon, n) for n, lon, lat in expected.values())
    assert len(got) == len(want)
    for (lat, lon, n), (want_lat, want_lon, want_n) in zip(got, want, strict=True):
        assert n == want_n
        assert lat == pytest.approx(want_lat, abs=1e-6)
        assert lon == pytest.approx(want_lon, abs=1e-6)
    assert body["total"] == sum(n for n, _, _ in expected.values())


def test_a_city_viewport_is_clustered_with_the_counts_and_mean_positions_of_a_direct_query(
        connection, client, city):
    response = _get(client, bbox=_bbox(CITY), zoom=CITY_ZOOM)
    assert response.status_code == 200
    body = response.json
    assert body["clustered"] is True and body["zoom"] == body["grid_zoom"] == CITY_ZOOM
    _assert_cells_are(body, direct_viewport_cells(connection, CITY_ZOOM,
                                                  *_window(CITY, CITY_ZOOM)))
    assert len(body["cells"]) > 3


@pytest.mark.parametrize(("params", "where"), [
    ({"category": "pothole"}, "r.category_id = :holes"),
    ({"category": "pothole,streetlight"}, "true"),
    ({"state": "open"}, "r.status NOT IN ('fixed', 'closed')"),
    ({"state": "fixed"}, "r.status IN ('fixed', 'closed')"),
    ({"days": "30"}, "r.created_at >= :now - interval '30 days'"),
    ({"days": "400", "state": "fixed", "category": "streetlight"},
     "r.created_at >= :now - interval '400 days' AND r.status IN ('fixed', 'closed') "
     "AND r.category_id = :lights"),
])
def test_filters_give_the_cells_of_a_direct_query_with_the_same_conditions(
        connection, client, city, params, where):
    body = _get(client, bbox=_bbox(CITY), zoom=CITY_ZOOM - 1, **params).json
    values = {"holes": city["holes"].id, "lights": city["lights"].id, "now": NOW}
    if body["clustered"]:
        expected = direct_viewport_cells(connection, CITY_ZOOM - 1,
                                         *_window(CITY, CITY_ZOOM - 1), where, values)
        _assert_cells_are(body, expected)
    else:  # few enough to be shown one by one
        inside = f"{where} AND r.location && ST_MakeEnvelope({_bbox(CITY)}, 4326)"
        assert {item["id"] for item in body["reports"]} == direct_report_ids(
            connection, inside, values)


def test_from_zoom_16_the_reports_themselves_are_shown_newest_first(client, session, city):
    street = (24.935, 60.165, 24.945, 60.175)
    body = _get(client, bbox=_bbox(street), zoom=16).json
    assert body["clustered"] is False and body["truncated"] is False
    assert body["reports"], "the dense centre has reports on this street"
    for item in body["reports"]:
        assert street[0] <= item["lon"] <= street[2] and street[1] <= item["lat"] <= street[3]
        assert item["status"] != "rejected"
        assert item["category"] in ("streetlight", "pothole")
    times = [item["created_at"] for item in body["reports"]]
    assert times == sorted(times, reverse=True)


def test_a_viewport_holding_few_reports_shows_them_at_any_zoom(client, session):
    lights = make_category(session, "streetlight")
    for k in range(3):
        put_report(session, lights, 24.9 + k / 100, 60.2)
    session.commit()
    body = _get(client, bbox="19,59,32,70", zoom=5).json
    assert body["clustered"] is False
    assert len(body["reports"]) == 3


def test_a_street_holding_more_than_the_cap_gets_the_newest_and_says_truncated(
        client, session, monkeypatch):
    monkeypatch.setattr(map_view, "MAX_POINTS", 5)
    lights = make_category(session, "streetlight")
    reports = [put_report(session, lights, 24.94 + k / 100000, 60.17,
                          created_at=NOW - timedelta(hours=k)) for k in range(8)]
    session.commit()
    body = _get(client, bbox="24.935,60.168,24.945,60.172", zoom=17).json
    assert body["truncated"] is True
    assert [item["id"] for item in body["reports"]] == [r.id for r in reports[:5]]


def test_a_huge_bbox_at_a_high_zoom_is_clustered_on_a_coarser_grid_and_stays_small(
        client, city):
    response = _get(client, bbox="19,59,32,70", zoom=18)
    body = response.json
    assert body["clustered"] is True and body["grid_zoom"] < 18
    assert len(response.data) < 100_000


def test_unpublished_and_rejected_reports_never_appear(client, session):
    lights = make_category(session, "streetlight")
    shown = put_report(session, lights, 24.94, 60.17)
    put_report(session, lights, 24.9401, 60.1701, public=False)
    put_report(session, lights, 24.9402, 60.1702, status=ReportStatus.REJECTED)
    session.commit()
    for zoom in (3, 12, 18):
        body = _get(client, bbox="24.9,60.1,25.0,60.2", zoom=zoom).json
        assert [item["id"] for item in body["reports"]] == [shown.id]


def test_no_personal_data_is_in_the_answers(client, session):
    lights = make_category(session, "streetlight")
    put_report(session, lights, 24.94, 60.17, description="Lamppu rikki",
               contact={"name": "Maija Meikäläinen", "email": "maija@example.fi",
                        "phone": "+358 40 123 4567"})
    session.commit()
    response = _get(client, bbox="24.9,60.1,25.0,60.2", zoom=17)
    text = response.get_data(as_text=True)
    for private in ("Maija", "maija@example.fi", "123 4567", "Lamppu"):
        assert private not in text
    (item,) = response.json["reports"]
    assert set(item) == {"id", "lon", "lat", "category", "status", "created_at"}


def test_answers_may_be_cached_publicly_for_half_a_minute(client, city):
    response = _get(client, bbox=_bbox(CITY), zoom=CITY_ZOOM)
    assert response.headers["Cache-Control"] == "public, max-age=30"
    assert json.loads(response.data)["clustered"] is True


def test_an_unknown_category_code_is_refused_naming_the_parameter(client, city):
    response = _get(client, bbox=_bbox(CITY), zoom=12, category="streetlight,unicorns")
    assert response.status_code == 422
    assert "unicorns" in response.json["fields"]["category"][0]


@pytest.mark.parametrize(("params", "name"), [
    ({"zoom": "12"}, "bbox"),
    ({"bbox": "24.8,60.1,25.1", "zoom": "12"}, "bbox"),
    ({"bbox": "25.1,60.1,24.8,60.2", "zoom": "12"}, "bbox"),  # minlon > maxlon
    ({"bbox": "24.8,60.2,25.1,60.1", "zoom": "12"}, "bbox"),  # minlat > maxlat
    ({"bbox": "24.8,60.1,25.1,95", "zoom": "12"}, "bbox"),
    ({"bbox": "24.8,60.1,nan,60.2", "zoom": "12"}, "bbox"),
    ({"bbox": "24.8, 60.1,25.1,60.2", "zoom": "12"}, "bbox"),
    ({"bbox": _bbox(CITY)}, "zoom"),
    ({"bbox": _bbox(CITY), "zoom": "21"}, "zoom"),
    ({"bbox": _bbox(CITY), "zoom": "-1"}, "zoom"),
    ({"bbox": _bbox(CITY), "zoom": "12.5"}, "zoom"),
    ({"bbox": _bbox(CITY), "zoom": "12", "days": "0"}, "days"),
    ({"bbox": _bbox(CITY), "zoom": "12", "days": "seven"}, "days"),
    ({"bbox": _bbox(CITY), "zoom": "12", "days": "36501"}, "days"),
    ({"bbox": _bbox(CITY), "zoom": "12", "state": "closed"}, "state"),
    ({"bbox": _bbox(CITY), "zoom": "12", "category": ""}, "category"),
    ({"bbox": _bbox(CITY), "zoom": "12", "category": "Potholes"}, "category"),
])
def test_invalid_parameters_are_refused_naming_the_parameter(client, params, name):
    response = _get(client, **params)
    assert response.status_code == 422, response.json
    assert list(response.json["fields"]) == [name]

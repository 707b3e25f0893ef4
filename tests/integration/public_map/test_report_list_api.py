"""GET /api/v1/reports: the public map's reports as a list, newest first, twenty a page."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.services.public_map import report_list

from ..factories import make_category
from .map_checks import put_report

NOW = datetime.now(UTC)


def _list(client, **params):
    return client.get("/api/v1/reports", query_string=params)


@pytest.fixture
def street(session):
    lights, holes = make_category(session, "streetlight"), make_category(session, "pothole")
    reports = [
        put_report(session, lights if k % 2 else holes, 24.94 + k / 1000, 60.17,
                   status=ReportStatus.CLOSED if k % 5 == 0 else ReportStatus.ASSIGNED,
                   created_at=NOW - timedelta(days=k), address=f"Katu {k}",
                   description=f"Kuvaus {k}", flush=False)
        for k in range(45)
    ]
    put_report(session, lights, 24.95, 60.17, public=False, flush=False)
    put_report(session, lights, 24.95, 60.17, status=ReportStatus.REJECTED, flush=False)
    session.commit()
    return reports


def test_the_list_shows_the_newest_published_reports_with_public_fields_only(client, street):
    response = _list(client, lang="en")
    assert response.status_code == 200
    body = response.json
    assert (body["total"], body["total_exact"], body["pages"], body["page_size"]) == (45, True,
                                                                                      3, 20)
    first = body["reports"][0]
    assert first == {
        "id": street[0].id, "category": {"code": "pothole", "name": "pothole en"},
        "status": "closed", "address": "Katu 0",
        "created_at": street[0].created_at.astimezone(UTC).replace(microsecond=0).isoformat(),
        "location": {"lon": 24.94, "lat": 60.17}, "description": "Kuvaus 0",
    }
    ids = [item["id"] for item in body["reports"]]
    assert ids == [r.id for r in street[:20]]
    assert response.headers["Cache-Control"] == "public, max-age=30"


def test_pages_follow_one_another_and_a_page_past_the_end_is_empty(client, street):
    third = _list(client, page=3).json
    assert [item["id"] for item in third["reports"]] == [r.id for r in street[40:]]
    assert _list(client, page=4).json["reports"] == []


def test_the_list_takes_the_filters_of_the_map(client, street):
    bbox = "24.9395,60.16,24.9495,60.18"  # reports 0..9
    body = _list(client, bbox=bbox, category="streetlight", state="open", days="8").json
    # Odd k (streetlight), not k % 5 == 0 (closed), 0 <= k <= 9, created within 8 days.
    assert [item["address"] for item in body["reports"]] == ["Katu 1", "Katu 3", "Katu 7"]
    assert body["total"] == 3


def test_category_names_are_in_the_language_asked(client, street):
    assert _list(client, lang="sv").json["reports"][0]["category"]["name"] == "pothole sv"
    assert _list(client, headers={"Accept-Language": "fi"}).json[
        "reports"][0]["category"]["name"] == "pothole fi"


def test_long_descriptions_are_shortened_at_a_word(client, session):
    lights = make_category(session, "streetlight")
    put_report(session, lights, 24.94, 60.17, description="sana " * 100)
    session.commit()
    description = _list(client).json["reports"][0]["description"]
    assert len(description) <= report_list.DESCRIPTION_CHARS
    assert description.endswith("sana…")


def test_counting_stops_at_the_limit_and_says_so(client, street, monkeypatch):
    monkeypatch.setattr(report_list, "COUNT_LIMIT", 30)
    body = _list(client).json
    assert (body["total"], body["total_exact"], body["pages"]) == (30, False, 2)


def test_no_personal_data_is_listed(client, session):
    lights = make_category(session, "streetlight")
    put_report(session, lights, 24.94, 60.17,
               contact={"name": "Maija Meikäläinen", "email": "maija@example.fi"})
    session.commit()
    text = _list(client).get_data(as_text=True)
    assert "Maija" not in text and "maija@example.fi" not in text


@pytest.mark.parametrize(("params", "name"), [
    ({"bbox": "1,2,3"}, "bbox"), ({"page": "0"}, "page"), ({"page": "501"}, "page"),
    ({"page": "two"}, "page"), ({"days": "-3"}, "days"), ({"state": "done"}, "state"),
    ({"category": "no-such-category"}, "category"), ({"lang": "de"}, "lang"),
])
def test_invalid_parameters_are_refused_naming_the_parameter(client, params, name):
    response = _list(client, **params)
    assert response.status_code == 422
    assert list(response.json["fields"]) == [name]

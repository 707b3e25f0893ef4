"""The heatmap page and its folium document: only the service's own scripts and styles, a
policy of its own, heat weights that add up to the matching reports, filters and scope,
the inline limit, and the same document written as a prepared file.

Reports of January and February 2026 (Helsinki), on three spots (identical points, so each
spot is one grid cell whatever the cell size):
    spot 1: three of unit A, category light      spot 2: two of unit B, category light
    spot 3: one of unit A, category pothole
and, not matching: one of unit A in December 2025, one of unit A without a location (and
staff_world's two reports, made today, in December 2026).
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from pyproj import Transformer

from feedbackgis.models.prepared_file import FileKind, FileState, PreparedFile
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.services.analytics.heatmap import cell_size_m, write_heatmap_file
from feedbackgis.services.analytics.prepared_files import FileParams, make_file
from feedbackgis.web.figures.folium_assets import HEAT_JS
from tests.integration.factories import make_category, make_report
from tests.integration.staff.staff_world import build_world, csrf, sign_in_as

HELSINKI = ZoneInfo("Europe/Helsinki")
PERIOD = "from=2026-01&to=2026-02"
SPOT_1 = (24.9384, 60.1699)
SPOT_2 = (24.9600, 60.1800)
SPOT_3 = (24.9300, 60.1650)
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
ATTRIBUTION_LINK = "https://www.openstreetmap.org/copyright"


@pytest.fixture
def world(session):
    world = build_world(session)
    pothole = make_category(session, "pothole")
    world.pothole = pothole
    at = datetime(2026, 1, 15, 12, tzinfo=HELSINKI)
    reports = (
        [(world.category, world.unit_a, SPOT_1)] * 3
        + [(world.category, world.unit_b, SPOT_2)] * 2
        + [(pothole, world.unit_a, SPOT_3)]
    )
    for number, (category, party, (lon, lat)) in enumerate(reports):
        report = make_report(session, category, party=party, lon=lon, lat=lat)
        report.created_at = at.replace(month=1 + number % 2)
    old = make_report(session, world.category, party=world.unit_a, lon=SPOT_1[0], lat=SPOT_1[1])
    old.created_at = datetime(2025, 12, 31, 12, tzinfo=HELSINKI)
    nowhere = make_report(session, world.category, party=world.unit_a, lon=None, lat=None)
    nowhere.created_at = at
    session.commit()
    return world


def heat_data(html: str) -> list[list[float]]:
    found = re.search(r"L\.heatLayer\(\s*(\[.*?\]),\s*\{", html, re.DOTALL)
    assert found, "no heat layer in the document"
    return json.loads(found.group(1))


def weights(html: str) -> list[int]:
    return sorted(point[2] for point in heat_data(html))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append((tag, value))


def linked(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def open_map(client, world, user: str = "manager", query: str = PERIOD):
    sign_in_as(client, world.users[user])
    response = client.get(f"/staff/heatmap/map?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_the_map_document_loads_only_the_services_own_scripts_and_styles(client, world):
    html = open_map(client, world).get_data(as_text=True)
    urls = linked(html)
    assert ("script", "/static/map/vendor/leaflet/leaflet.js") in urls
    assert ("link", "/static/map/vendor/leaflet/leaflet.css") in urls
    assert ("script", "/assets/folium/leaflet_heat.min.js") in urls
    for tag, url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/"), (tag, url)
        assert client.get(url).status_code == 200, url
    # Elsewhere (the inline script) only the tile template and the attribution's link.
    absolute = set(re.findall(r"(?:https?:)?//[^\s\"'<>\\]+", html))
    assert absolute == {TILE_URL, ATTRIBUTION_LINK}
    assert not re.search(r"jquery|bootstrap|awesome|fontawesome|cdn", html, re.IGNORECASE)


def test_the_heat_plugin_is_the_folium_wheels_own_file_served_with_caching(client):
    response = client.get("/assets/folium/leaflet_heat.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.data == HEAT_JS.read_bytes()
    assert "max-age=86400" in response.headers["Cache-Control"]
    again = client.get("/assets/folium/leaflet_heat.min.js",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_heat_weights_add_up_to_the_matching_reports(client, world):
    html = open_map(client, world).get_data(as_text=True)
    assert weights(html) == [1, 2, 3]


def test_each_heat_point_is_the_centre_of_its_grid_cell_in_the_metric_crs(client, world):
    data = heat_data(open_map(client, world).get_data(as_text=True))
    to_metric = Transformer.from_crs(4326, 3067, always_xy=True)
    to_degrees = Transformer.from_crs(3067, 4326, always_xy=True)
    # The three spots span about 2 km: 2000 / 500 rounds up to 10 m, so the 20 m minimum.
    size = 20
    expected = {}
    for (lon, lat), count in ((SPOT_1, 3), (SPOT_2, 2), (SPOT_3, 1)):
        x, y = to_metric.transform(lon, lat)
        # The square of `size` metres the report falls in, drawn at its centre.
        centre = to_degrees.transform((math.floor(x / size) + 0.5) * size,
                                      (math.floor(y / size) + 0.5) * size)
        expected[count] = (centre[1], centre[0])
    for lat, lon, count in data:
        assert (lat, lon) == pytest.approx(expected[count], abs=2e-6)


def test_the_cell_size_follows_the_extent_between_20_and_100_metres():
    from feedbackgis.repositories.heatmap import Extent

    assert cell_size_m(None) == 20
    assert cell_size_m(Extent(0, 0, 2_000, 500)) == 20
    assert cell_size_m(Extent(0, 0, 10_000, 30_000)) == 60
    assert cell_size_m(Extent(0, 0, 30_001, 100)) == 70
    assert cell_size_m(Extent(0, 0, 400_000, 100)) == 100


def test_the_filters_pick_the_category_and_the_party(client, world):
    by_category = open_map(client, world, query=f"{PERIOD}&category={world.pothole.id}")
    assert weights(by_category.get_data(as_text=True)) == [1]
    by_party = open_map(client, world, query=f"{PERIOD}&party={world.unit_b.id}")
    assert weights(by_party.get_data(as_text=True)) == [2]
    december = open_map(client, world, query="from=2025-12&to=2025-12")
    assert weights(december.get_data(as_text=True)) == [1]


def test_a_handler_sees_only_their_own_partys_reports_whatever_party_is_asked(client, world):
    html = open_map(client, world, "handler_a", f"{PERIOD}&party={world.unit_b.id}").get_data(
        as_text=True)
    assert weights(html) == [1, 3]
    page = client.get(f"/staff/heatmap?{PERIOD}&party={world.unit_b.id}&lang=en")
    text = page.get_data(as_text=True)
    assert "4 reports with a location match the filters." in text
    assert f"party={world.unit_a.id}" in text  # the frame's address is their party's
    assert f"party={world.unit_b.id}&amp;" not in text


def test_roles_without_figures_get_403(client, world):
    sign_in_as(client, world.users["moderator"])
    assert client.get(f"/staff/heatmap?{PERIOD}").status_code == 403
    assert client.get(f"/staff/heatmap/map?{PERIOD}").status_code == 403


def test_a_filter_that_cannot_be_read_gives_422_naming_it(client, world):
    sign_in_as(client, world.users["manager"])
    response = client.get("/staff/heatmap?from=2026-13&to=2026-02")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Give the first month as YYYY-MM" in text
    assert re.search(r'id="figure-filter-from"[^>]*aria-invalid="true"', text)
    assert "<iframe" not in text
    assert client.get("/staff/heatmap/map?category=x").status_code == 422


def test_the_page_frames_the_map_up_to_the_inline_limit(client, world, monkeypatch, app):
    monkeypatch.setitem(app.config, "HEATMAP_INLINE_LIMIT", 6)
    sign_in_as(client, world.users["manager"])
    text = client.get(f"/staff/heatmap?{PERIOD}&lang=en").get_data(as_text=True)
    frame = re.search(r'<iframe class="heatmap__frame" src="([^"]+)" title="([^"]+)"', text)
    assert frame, text
    assert frame.group(2) == "Heatmap of reports"
    src = frame.group(1).replace("&amp;", "&")
    assert src.startswith("/staff/heatmap/map?from=2026-01&to=2026-02")
    assert weights(client.get(src).get_data(as_text=True)) == [1, 2, 3]
    assert "Build the heatmap" not in text


def test_above_the_inline_limit_the_page_offers_to_build_the_file(client, world, monkeypatch,
                                                                   app):
    monkeypatch.setitem(app.config, "HEATMAP_INLINE_LIMIT", 5)
    sign_in_as(client, world.users["manager"])
    text = client.get(f"/staff/heatmap?{PERIOD}&lang=en").get_data(as_text=True)
    assert "<iframe" not in text
    form = re.search(r'<form method="post" action="(/staff/heatmap/build[^"]*)"(.*?)</form>',
                     text, re.DOTALL)
    assert form, text
    assert 'name="csrf_token"' in form.group(2) and "Build the heatmap" in form.group(2)
    assert 'name="from" value="2026-01"' in form.group(2)
    assert client.get(f"/staff/heatmap/map?{PERIOD}").status_code == 422


def test_building_the_heatmap_asks_for_a_prepared_file_of_the_filters(client, world, session,
                                                                      monkeypatch, app):
    monkeypatch.setitem(app.config, "HEATMAP_INLINE_LIMIT", 5)
    sign_in_as(client, world.users["handler_a"])
    token = csrf(client, f"/staff/heatmap?{PERIOD}")
    refused = client.post("/staff/heatmap/build", data={"from": "2026-01", "to": "2026-02"})
    assert refused.status_code == 400  # no CSRF token
    response = client.post("/staff/heatmap/build?lang=en", data={
        "csrf_token": token, "from": "2026-01", "to": "2026-02",
        "party": str(world.unit_b.id)})
    assert response.status_code == 303
    prepared = session.query(PreparedFile).filter_by(
        requested_by=world.users["handler_a"].id).one()
    assert prepared.kind is FileKind.HEATMAP
    assert f"/staff/files/{prepared.id}" in response.headers["Location"]
    params = FileParams.of(prepared)
    assert params.filters == FigureFilters(datetime(2026, 1, 1).date(),
                                           datetime(2026, 2, 1).date(),
                                           party_id=world.unit_a.id)
    assert params.language == "en"


def _prepared(session, world, user: str, filters: FigureFilters, scope_party_id=None):
    params = FileParams(filters, {}, "en", "Europe/Helsinki", scope_party_id)
    prepared = PreparedFile(kind=FileKind.HEATMAP, params=params.as_json(),
                            requested_by=world.users[user].id, cache_key="k" * 64)
    session.add(prepared)
    session.commit()
    return prepared


def test_write_heatmap_file_writes_the_same_data_and_reports_progress(client, world, session,
                                                                    app, tmp_path):
    filters = FigureFilters(datetime(2026, 1, 1).date(), datetime(2026, 2, 1).date())
    prepared = _prepared(session, world, "manager", filters)
    calls = []
    path = tmp_path / "heatmap.html"
    with app.app_context():
        write_heatmap_file(session, prepared, path, lambda done, total: calls.append(
            (done, total)))
    written = path.read_text(encoding="utf-8")
    served = open_map(client, world).get_data(as_text=True)
    assert sorted(map(tuple, heat_data(written))) == sorted(map(tuple, heat_data(served)))
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    assert '<html lang="en">' in written and "<title>Heatmap of reports</title>" in written
    assert "user-scalable=no" not in written  # zooming the page stays allowed
    assert all(not urlsplit(url).netloc for _, url in linked(written))


def test_a_heatmap_file_made_by_the_job_is_served_to_its_requester_only(client, world, session, app,
                                                               monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EXPORT_FOLDER", str(tmp_path))
    filters = FigureFilters(datetime(2026, 1, 1).date(), datetime(2026, 2, 1).date(),
                            party_id=world.unit_a.id)
    prepared = _prepared(session, world, "handler_a", filters, world.unit_a.id)
    with app.app_context():  # the job's work, through the prepared files' dispatcher
        assert make_file(session, prepared.id, tmp_path, timedelta(hours=1)) is FileState.DONE
    prepared = session.get(PreparedFile, prepared.id)  # the app context's end closed it
    assert (prepared.rows_done, prepared.rows_total) == (4, 4)
    sign_in_as(client, world.users["handler_a"])
    response = client.get(f"/staff/heatmap/files/{prepared.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert weights(html) == [1, 3]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "'sha256-" in response.headers["Content-Security-Policy"]
    sign_in_as(client, world.users["handler_b"])
    assert client.get(f"/staff/heatmap/files/{prepared.id}").status_code == 404
    sign_in_as(client, world.users["manager"])
    assert client.get(f"/staff/heatmap/files/{prepared.id}").status_code == 404


def _policy(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split("; "))}


def _sha256(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_the_map_document_has_a_policy_allowing_its_own_inline_code_only(client, world):
    response = open_map(client, world)
    html = response.get_data(as_text=True)
    policy = _policy(response.headers["Content-Security-Policy"])
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    assert len(scripts) == 2 and len(styles) == 3
    assert policy["script-src"] == ["'self'", *map(_sha256, scripts)]
    assert policy["style-src"] == ["'self'", *map(_sha256, styles)]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert policy["default-src"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_page_itself_keeps_the_apps_policy_which_allows_frames_of_its_own(client, world):
    sign_in_as(client, world.users["manager"])
    response = client.get(f"/staff/heatmap?{PERIOD}")
    policy = _policy(response.headers["Content-Security-Policy"])
    # No frame-src or child-src: frames fall back to default-src, our own origin.
    assert "frame-src" not in policy and "child-src" not in policy
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_without_matching_reports_the_map_is_empty_and_fitted_to_the_service_area(client,
                                                                                   world,
                                                                                   session):
    import shapely

    from tests.integration.factories import make_service_area

    make_service_area(session, shapely.box(24.5, 60.0, 25.5, 60.5))
    session.commit()
    html = open_map(client, world, query="from=2024-01&to=2024-02").get_data(as_text=True)
    assert heat_data(html) == []
    assert re.search(r"fitBounds\(\s*\[\[60\.0, 24\.5\], \[60\.5, 25\.5\]\]", html)

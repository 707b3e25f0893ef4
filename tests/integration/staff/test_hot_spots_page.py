"""The hot spots page and its GeoJSON: who sees which hot spots and which reports' links,
the category filter, refusals by name, and names escaped."""
from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import shapely
from babel.dates import format_date
from pyproj import Transformer
from shapely.geometry import shape

from feedbackgis.services.analytics.hot_spots import find_hot_spots
from tests.integration.factories import make_category, make_report
from tests.integration.staff.staff_world import build_world, sign_in_as

TO_WGS84 = Transformer.from_crs(3067, 4326, always_xy=True)
TO_METRIC = Transformer.from_crs(4326, 3067, always_xy=True)
X = (385_500.0, 6_672_000.0)  # streetlights: two of unit A, one of unit B
Y = (386_500.0, 6_672_000.0)  # a park bench category: three of unit B
TRIANGLE = [(0, 0), (10, 0), (0, 10)]
ODD_NAME = '<b>Penkki & "puisto"</b>'


def _at(session, category, party, centre, offset):
    lon, lat = TO_WGS84.transform(centre[0] + offset[0], centre[1] + offset[1])
    return make_report(session, category, party=party, lon=lon, lat=lat)


@pytest.fixture
def hot(session):
    world = build_world(session)  # its own two reports are far from X and Y
    bench = make_category(session, "bench")
    bench.name_en = ODD_NAME
    x = [_at(session, world.category, party, X, offset) for party, offset
         in zip((world.unit_a, world.unit_a, world.unit_b), TRIANGLE, strict=True)]
    y = [_at(session, bench, world.unit_b, Y, offset) for offset in TRIANGLE]
    session.commit()
    found = find_hot_spots(session, datetime.now(UTC), 30.0, 3)
    assert found.hot_spots == 2
    return world, bench, x, y


def _get(client, user, path):
    sign_in_as(client, user)
    return client.get(path)


def _report_links(page: str) -> set[int]:
    return {int(found) for found in re.findall(r'href="/staff/reports/(\d+)\?', page)}


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_admins_and_managers_see_every_hot_spot_and_every_report(client, hot, role):
    world, _bench, x, y = hot
    page = _get(client, world.users[role], "/staff/hot-spots").get_data(as_text=True)
    assert _report_links(page) == {r.id for r in x + y}
    assert "2 hot spots" in page
    assert "streetlight en — reported 3 times in 12 months, first " in page
    assert "report of another unit" not in page


def test_a_handler_sees_a_hot_spot_only_with_enough_reports_of_their_unit(client, hot):
    world, _bench, _x, y = hot
    # X holds two of unit A's three: fewer than the three a hot spot needs, so A sees none.
    page = _get(client, world.users["handler_a"], "/staff/hot-spots").get_data(as_text=True)
    assert _report_links(page) == set() and ">0 hot spots<" in page
    assert "No recurring hot spots with these filters." in page
    assert _get(client, world.users["handler_a"],
                "/staff/hot-spots.geojson").get_json()["features"] == []
    # B sees Y (three of theirs), not X (one of theirs), and nothing of another unit.
    other = _get(client, world.users["handler_b"], "/staff/hot-spots").get_data(as_text=True)
    assert _report_links(other) == {r.id for r in y}
    assert ">1 hot spot<" in other and "other unit" not in other and "another unit" not in other


def _noon(days_ago: int) -> datetime:
    return datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) \
        - timedelta(days=days_ago)


def test_a_handler_sees_the_count_dates_and_hull_of_their_units_reports_only(client, session,
                                                                             hot):
    world, _bench, x, _y = hot
    # X becomes A's three, (0, 0), (10, 0), (10, 10), and B's two, (0, 10), (0, 20); B's
    # hold X's first and last dates.
    third = _at(session, world.category, world.unit_a, X, (10, 10))
    later_b = _at(session, world.category, world.unit_b, X, (0, 20))
    dates = {x[2]: _noon(300), x[0]: _noon(200), x[1]: _noon(100), third: _noon(50),
             later_b: _noon(5)}
    for report, created in dates.items():
        report.created_at = created
    session.commit()
    assert find_hot_spots(session, datetime.now(UTC), 30.0, 3).hot_spots == 2
    page = _get(client, world.users["handler_a"], "/staff/hot-spots").get_data(as_text=True)
    assert _report_links(page) == {x[0].id, x[1].id, third.id}
    first, last = (format_date(dates[r].date(), "medium", locale="en") for r in (x[0], third))
    assert (f"streetlight en — reported 3 times in 12 months, first {first}, last {last}"
            in page)
    collection = _get(client, world.users["handler_a"], "/staff/hot-spots.geojson").get_json()
    [feature] = collection["features"]
    assert set(feature["properties"]) == {"category", "label", "centre", "reports"}
    corners = [TO_WGS84.transform(X[0] + e, X[1] + n) for e, n in [(0, 0), (10, 0), (10, 10)]]
    hull = shape(feature["geometry"])
    assert feature["geometry"]["type"] == "Polygon"
    assert hull.symmetric_difference(shapely.Polygon(corners)).area < 1e-9
    lon, lat = feature["properties"]["centre"]
    east, north = TO_METRIC.transform(lon, lat)
    assert (east, north) == pytest.approx((X[0] + 20 / 3, X[1] + 10 / 3), abs=0.01)
    # A manager sees all five, and B (two at X) still only Y.
    everyone = _get(client, world.users["manager"], "/staff/hot-spots").get_data(as_text=True)
    assert "streetlight en — reported 5 times in 12 months" in everyone
    theirs = _get(client, world.users["handler_b"], "/staff/hot-spots").get_data(as_text=True)
    assert ">1 hot spot<" in theirs and later_b.id not in _report_links(theirs)


def test_no_hot_spot_is_served_outside_the_staff_pages(app, client, hot):
    # The hot spots are staff figures only: their two addresses are under /staff/ and send
    # whoever is not signed in to the login page; no other route reads them.
    names = ("hot-spot", "hot_spot", "hotspot")
    rules = {rule.rule for rule in app.url_map.iter_rules()
             if any(n in rule.rule.lower() or n in rule.endpoint.lower() for n in names)
             or app.view_functions[rule.endpoint].__module__ == "feedbackgis.web.figures.hot_spots"}
    assert rules == {"/staff/hot-spots", "/staff/hot-spots.geojson"}
    for path in sorted(rules):
        response = client.get(path)
        assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["moderator", "contractor"])
@pytest.mark.parametrize("path", ["/staff/hot-spots", "/staff/hot-spots.geojson"])
def test_moderators_and_contractors_are_refused(client, hot, role, path):
    world = hot[0]
    assert _get(client, world.users[role], path).status_code == 403


def test_nobody_signed_in_is_sent_to_the_login_page(client, hot):
    response = client.get("/staff/hot-spots.geojson")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_the_geojson_holds_each_hull_and_centre(client, hot):
    world, _bench, x, _y = hot
    response = _get(client, world.users["manager"], "/staff/hot-spots.geojson?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    collection = response.get_json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    feature = next(f for f in collection["features"]
                   if f["properties"]["category"] == "streetlight en")
    hull = shape(feature["geometry"])
    assert feature["geometry"]["type"] == "Polygon" and hull.is_valid
    corners = shapely.MultiPoint([TO_WGS84.transform(X[0] + e, X[1] + n)
                                  for e, n in TRIANGLE])
    # The triangle of its reports (ST_AsGeoJSON keeps 6 decimals: about 0.1 m).
    assert hull.symmetric_difference(corners.convex_hull).area < 1e-9
    lon, lat = feature["properties"]["centre"]
    assert shapely.Point(lon, lat).within(hull)
    assert {r["url"].split("?")[0] for r in feature["properties"]["reports"]} == {
        f"/staff/reports/{r.id}" for r in x}
    assert feature["properties"]["label"].startswith("streetlight en — reported 3 times")


def test_the_category_filter_keeps_that_categorys_hot_spots(client, hot):
    world, bench, _x, y = hot
    page = _get(client, world.users["admin"], f"/staff/hot-spots?category={bench.id}")
    assert page.status_code == 200
    assert _report_links(page.get_data(as_text=True)) == {r.id for r in y}
    assert f'data-geojson-url="/staff/hot-spots.geojson?lang=en&amp;category={bench.id}"' \
        in page.get_data(as_text=True)
    collection = client.get(f"/staff/hot-spots.geojson?category={bench.id}").get_json()
    assert [f["properties"]["category"] for f in collection["features"]] == [ODD_NAME]


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999999"])
def test_a_filter_that_cannot_be_used_is_refused_naming_it(client, hot, value):
    world = hot[0]
    page = _get(client, world.users["manager"], f"/staff/hot-spots?category={value}")
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="error-category"' in text and 'aria-invalid="true"' in text
    assert "Choose a category from the list." in text
    answer = client.get(f"/staff/hot-spots.geojson?category={value}")
    assert answer.status_code == 422 and list(answer.get_json()["fields"]) == ["category"]


def test_category_names_are_escaped_in_the_page(client, hot):
    world = hot[0]
    page = _get(client, world.users["admin"], "/staff/hot-spots").get_data(as_text=True)
    assert ODD_NAME not in page
    assert html.escape(ODD_NAME, quote=True) in page or \
        "&lt;b&gt;Penkki &amp; &#34;puisto&#34;&lt;/b&gt;" in page


def test_the_page_says_when_they_were_computed_and_loads_no_inline_script(client, hot):
    world = hot[0]
    page = _get(client, world.users["admin"], "/staff/hot-spots")
    text = page.get_data(as_text=True)
    assert "Last computed " in text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)

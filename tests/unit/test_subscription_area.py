"""Subscription areas without a database: the circle's geometry and the schema's checks."""
from __future__ import annotations

import math

import pytest
import shapely
from marshmallow import ValidationError
from pyproj import Geod

from feedbackgis.geo.areas import circle_around, geodesic_area_m2, invalidity_reason, vertex_count
from feedbackgis.geo.crs import crs_from_user_input
from feedbackgis.schemas.subscriptions import RADIUS_HELP, AreaSubscriptionIn, FollowerIn
from feedbackgis.services.subscriptions.area_subscriptions import Circle

TM35FIN = crs_from_user_input(3067)
GEOD = Geod(ellps="WGS84")
SQUARE = [[24.90, 60.10], [25.00, 60.10], [25.00, 60.20], [24.90, 60.20], [24.90, 60.10]]


def _load_errors(body):
    with pytest.raises(ValidationError) as caught:
        AreaSubscriptionIn().load(body)
    return caught.value.messages


@pytest.mark.parametrize("lon", [20.6, 24.94, 27.0, 31.5])  # across Finland, off and on 27°E
def test_a_1000_m_circle_covers_pi_square_kilometres_within_one_percent(lon):
    circle = circle_around(lon, 60.17, 1000, TM35FIN)
    assert circle.is_valid
    assert geodesic_area_m2(circle) == pytest.approx(math.pi * 1e6, rel=0.01)


def test_every_vertex_of_the_circle_is_the_radius_away_on_the_ground():
    circle = circle_around(24.94, 60.17, 1000, TM35FIN)
    lons, lats = zip(*circle.exterior.coords, strict=True)
    _az, _back, distances = GEOD.inv([24.94] * len(lons), [60.17] * len(lats), lons, lats)
    assert min(distances) == pytest.approx(1000, rel=0.002)
    assert max(distances) == pytest.approx(1000, rel=0.002)


def test_a_metric_crs_with_large_scale_error_still_gives_a_true_circle():
    # Web Mercator stretches distances at 60°N by a factor of two.
    circle = circle_around(24.94, 60.17, 1000, crs_from_user_input(3857))
    assert geodesic_area_m2(circle) == pytest.approx(math.pi * 1e6, rel=0.01)


def test_vertices_are_counted_without_the_closing_point():
    assert vertex_count(shapely.Polygon(SQUARE)) == 4


def test_a_bow_tie_is_invalid_and_says_where():
    bow_tie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    assert invalidity_reason(bow_tie).startswith("Self-intersection")
    assert invalidity_reason(shapely.Polygon(SQUARE)) is None


def test_a_geojson_polygon_loads_as_a_shapely_polygon_in_lon_lat():
    new = AreaSubscriptionIn().load({"email": "mokki@example.fi", "language": "sv",
                                     "area": {"type": "Polygon", "coordinates": [SQUARE]}})
    assert new.area.equals(shapely.Polygon(SQUARE))
    assert (new.email, new.language) == ("mokki@example.fi", "sv")


def test_a_circle_loads_with_its_centre_and_radius():
    new = AreaSubscriptionIn().load({"email": "kyla@example.fi", "area": {
        "center": {"lon": 24.94, "lat": 60.17}, "radius_m": 500}})
    assert new.area == Circle(lon=24.94, lat=60.17, radius_m=500)
    assert new.language == "fi"


@pytest.mark.parametrize("radius", [49, 20_001, "far", True, None])
def test_a_radius_outside_50_to_20000_metres_is_refused_naming_the_field(radius):
    errors = _load_errors({"email": "a@example.fi", "area": {
        "center": {"lon": 24.94, "lat": 60.17}, "radius_m": radius}})
    assert "radius_m" in errors["area"]


def test_a_circle_without_a_valid_centre_is_refused_naming_the_field():
    errors = _load_errors({"email": "a@example.fi", "area": {
        "center": {"lon": 24.94, "lat": 95}, "radius_m": 500}})
    assert "center" in errors["area"]


@pytest.mark.parametrize("area", [
    {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
    {"type": "Polygon", "coordinates": []},
    {"type": "Polygon", "coordinates": [SQUARE[:-1]]},  # not closed
    {"type": "Polygon", "coordinates": [SQUARE[:2] + SQUARE[:1]]},  # too few positions
    {"type": "Polygon", "coordinates": [[[24.9, 91.0], *SQUARE[1:]]]},
    {"type": "Polygon", "coordinates": [[["24.9", 60.1], *SQUARE[1:]]]},
    "Helsinki",
])
def test_a_malformed_polygon_is_refused_naming_the_area(area):
    assert "area" in _load_errors({"email": "a@example.fi", "area": area})


def test_a_bad_email_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as caught:
        FollowerIn().load({"email": "not-an-address"})
    assert "email" in caught.value.messages


def test_numbers_too_large_for_a_float_are_refused_not_a_server_error():
    huge = 10**400
    errors = _load_errors({"email": "a@example.fi", "area": {
        "center": {"lon": huge, "lat": 60.17}, "radius_m": huge}})
    assert errors["area"]["radius_m"] == ["Not a valid number. " + RADIUS_HELP]
    assert "lon" in errors["area"]["center"]
    square = [[huge, 60.1], *SQUARE[1:-1], [huge, 60.1]]
    assert "coordinates" in _load_errors({"email": "a@example.fi", "area": {
        "type": "Polygon", "coordinates": [square]}})["area"]

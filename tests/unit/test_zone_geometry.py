"""Zone geometry rules on shapely objects: refuse, repair, densify, reproject."""
from __future__ import annotations

import pytest
import shapely
from shapely.geometry import box

from feedbackgis.geo.crs import crs_from_user_input, to_wgs84
from feedbackgis.geo.zone_geometry import (
    clean_polygonal,
    degrees_out_of_range,
    geodesic_area_m2,
    outside_area_of_use,
    prepare_zone_geometry,
    reproject_densified,
)
from tests.zone_files import SQUARE_3067, bow_tie

TM35FIN = crs_from_user_input(3067)
WGS84 = crs_from_user_input(4326)


def test_bow_tie_is_repaired_into_both_triangles_and_the_repair_is_reported():
    cleaned = clean_polygonal(bow_tie(0, 0, 10))
    assert cleaned.refusal is None
    assert cleaned.geometry.is_valid and len(cleaned.geometry.geoms) == 2
    assert cleaned.geometry.area == pytest.approx(50)
    assert "Self-intersection" in cleaned.repair


@pytest.mark.parametrize(("geometry", "reason"), [
    (shapely.Point(1, 1), "a Point, not an area"),
    (shapely.MultiPoint([(1, 1), (2, 2)]), "a MultiPoint, not an area"),
    (shapely.LineString([(0, 0), (1, 1)]), "a LineString, not an area"),
    (shapely.MultiLineString([[(0, 0), (1, 1)]]), "a MultiLineString, not an area"),
    (shapely.Polygon(), "empty geometry"),
    (shapely.GeometryCollection(), "empty geometry"),
    (None, "no geometry"),
    (shapely.GeometryCollection([shapely.Point(1, 1)]), "a GeometryCollection, not an area"),
])
def test_points_lines_and_empties_are_refused_with_the_reason(geometry, reason):
    cleaned = clean_polygonal(geometry)
    assert cleaned.geometry is None
    assert reason in cleaned.refusal


def test_polygon_collapsed_to_a_line_is_refused_as_having_no_area():
    flat = shapely.Polygon([(0, 0), (1, 1), (2, 2), (0, 0)])
    assert "no area" in clean_polygonal(flat).refusal


def test_collection_keeps_its_polygons_and_reports_the_dropped_parts():
    mixed = shapely.GeometryCollection([box(0, 0, 1, 1), shapely.LineString([(5, 5), (6, 6)])])
    cleaned = clean_polygonal(mixed)
    assert cleaned.geometry.equals(shapely.MultiPolygon([box(0, 0, 1, 1)]))
    assert "dropped 1 non-polygonal part" in cleaned.repair


def test_valid_polygon_passes_unchanged_without_a_repair_note():
    cleaned = clean_polygonal(box(0, 0, 1, 1))
    assert cleaned.geometry.equals(box(0, 0, 1, 1)) and cleaned.repair is None


def test_z_coordinates_are_dropped():
    cube_face = shapely.Polygon([(0, 0, 5), (1, 0, 5), (1, 1, 5), (0, 1, 5)])
    assert not clean_polygonal(cube_face).geometry.has_z


def test_projected_source_is_densified_before_reprojection():
    zone = reproject_densified(SQUARE_3067, TM35FIN, 100).geometry
    # 4 edges of 5 km in 100 m segments: 200 vertices plus the closing one.
    assert len(shapely.get_coordinates(zone)) == 201
    assert zone.geom_type == "MultiPolygon"


def test_densified_edge_follows_the_straight_source_edge_not_the_lon_lat_chord():
    densified = reproject_densified(SQUARE_3067, TM35FIN, 100).geometry
    undensified = reproject_densified(SQUARE_3067, TM35FIN, 0).geometry
    just_inside_north_edge = to_wgs84(shapely.Point(382_500, 6_674_999.5), TM35FIN)
    assert densified.covers(just_inside_north_edge)
    # The lon/lat chord lies ~0.85 m south of the true edge at its midpoint.
    assert not undensified.covers(just_inside_north_edge)


def test_geographic_source_is_not_densified():
    square = box(24.0, 60.0, 25.0, 61.0)
    zone = reproject_densified(square, WGS84, 100).geometry
    assert len(shapely.get_coordinates(zone)) == 5


def test_prepare_returns_a_lon_lat_multipolygon_and_the_repair():
    prepared = prepare_zone_geometry(bow_tie(), TM35FIN, 100)
    assert prepared.refusal is None and "Self-intersection" in prepared.repair
    lon, lat = prepared.geometry.centroid.coords[0]
    assert 24.7 < lon < 24.9 and 60.1 < lat < 60.2


def test_prepare_passes_the_refusal_through():
    prepared = prepare_zone_geometry(shapely.LineString([(0, 0), (1, 1)]), TM35FIN, 100)
    assert prepared.geometry is None and "LineString" in prepared.refusal


def test_projected_coordinates_are_not_taken_for_degrees():
    assert "not longitudes and latitudes" in degrees_out_of_range([SQUARE_3067], WGS84)
    assert degrees_out_of_range([box(24, 60, 25, 61)], WGS84) is None
    assert degrees_out_of_range([SQUARE_3067], TM35FIN) is None
    assert degrees_out_of_range([shapely.Polygon()], WGS84) is None  # refused one by one


def test_data_far_outside_the_crs_area_of_use_is_flagged():
    assert outside_area_of_use((24.8, 60.1, 24.9, 60.2), TM35FIN) is None
    # Lon/lat numbers read as TM35FIN metres land near the equator.
    assert "outside the area" in outside_area_of_use((22.5, 0.0, 22.6, 0.1), TM35FIN)


def test_geodesic_area_of_the_square_is_25_square_kilometres():
    zone = reproject_densified(SQUARE_3067, TM35FIN, 100).geometry
    # TM35FIN's scale factor 0.9996 and the distance from its meridian: within 0.2 %.
    assert geodesic_area_m2(zone) == pytest.approx(25e6, rel=2e-3)

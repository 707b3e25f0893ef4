"""import_zones against PostGIS: formats, CRSs, attribute mapping, replace, all-or-nothing."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import shapely
from pyproj import Transformer
from sqlalchemy import func, select, text

from feedbackgis.errors import InvalidInput
from feedbackgis.geo.convert import from_db
from feedbackgis.models import Zone
from feedbackgis.repositories.zones import candidate_zones
from feedbackgis.services.zones.zone_import import ZoneImportOptions, import_zones
from tests.zone_files import (
    SQUARE_3067,
    bow_tie,
    write_geojson,
    write_shapefile,
    write_vector,
    zip_shapefile,
)

from .factories import make_category, make_party, make_zone

TO_LONLAT = Transformer.from_crs(3067, 4326, always_xy=True)
NORTH_EDGE_MIDDLE = (382_500, 6_675_000)  # where the lon/lat chord strays furthest


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return TO_LONLAT.transform(x, y)


def _zones(session) -> list[Zone]:
    return list(session.scalars(select(Zone).order_by(Zone.id)))


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Zone))


def _import(session, path, **options):
    return import_zones(session, path, ZoneImportOptions(**options))


def _routes_to(session, lon, lat, category) -> list[int]:
    at = datetime.now(UTC)
    return [c.zone_id for c in candidate_zones(session, lon, lat, category.id, at)]


@pytest.fixture
def contractor(session):
    party = make_party(session, "Urakoitsija Oy")
    # Committed (a savepoint in tests): a refused import rolls back only its own work.
    session.commit()
    return party


def test_point_half_a_metre_inside_a_long_straight_edge_routes_to_the_zone(
    session, tmp_path, contractor
):
    """The square's north edge is straight in EPSG:3067; in lon/lat its true course bows
    ~0.85 m north of the chord between the corners. Densified before reprojection, the zone
    keeps the point 0.5 m inside the edge and leaves out the point 0.5 m outside. The same
    square reprojected corner by corner (no densification) misses the inside point: the
    regression this test catches."""
    _import(session, write_vector(tmp_path / "square.gpkg", [SQUARE_3067]),
            party=contractor.name)
    (zone,) = _zones(session)
    category = make_category(session)
    x, y = NORTH_EDGE_MIDDLE
    inside, outside = _lonlat(x, y - 0.5), _lonlat(x, y + 0.5)
    assert _routes_to(session, *inside, category) == [zone.id]
    assert _routes_to(session, *outside, category) == []

    corners_only = shapely.Polygon([_lonlat(*xy) for xy in SQUARE_3067.exterior.coords])
    naive = make_zone(session, make_party(session), corners_only)
    assert naive.id not in _routes_to(session, *inside, category)


def test_geopackage_in_tm35fin_is_stored_in_lon_lat_with_area_and_parts(
    session, tmp_path, contractor
):
    summary = _import(session, write_vector(tmp_path / "zones.gpkg", [SQUARE_3067]),
                      party=contractor.name)
    assert (summary.features, summary.imported) == (1, 1)
    assert summary.crs.startswith("EPSG:3067") and "declared by the file" in summary.crs
    assert "densified to 100 metre" in summary.densified
    (zone,) = _zones(session)
    lon, lat = from_db(zone.geom).centroid.coords[0]
    assert 24.7 < lon < 24.9 and 60.1 < lat < 60.2
    assert zone.area_m2 == pytest.approx(25e6, rel=2e-3)
    assert zone.all_categories and zone.priority == 0 and zone.source == "zones.gpkg#1"
    parts = session.scalar(text("SELECT count(*) FROM zone_part WHERE zone_id = :z"),
                           {"z": zone.id})
    assert parts >= 1


def test_zipped_shapefile_with_prj_is_imported(session, tmp_path, contractor):
    shp = write_shapefile(tmp_path / "src", "alueet", [SQUARE_3067], {"NIMI": ["Etelä"]})
    archive = zip_shapefile(shp, tmp_path / "alueet.zip", folder_inside="alueet/")
    summary = _import(session, archive, party=contractor.name, name_field="nimi")
    assert summary.imported == 1 and "EPSG:3067" in summary.crs
    assert _zones(session)[0].name == "Etelä"


def test_shapefile_without_prj_is_refused_unless_srid_is_given(session, tmp_path, contractor):
    shp = write_shapefile(tmp_path, "noprj", [SQUARE_3067], crs=None)
    with pytest.raises(InvalidInput, match="declares no coordinate reference system.*--srid"):
        _import(session, shp, party=contractor.name)
    summary = _import(session, shp, party=contractor.name, srid="3067")
    assert "given on the command line" in summary.crs
    assert from_db(_zones(session)[0].geom).bounds[1] == pytest.approx(60.15, abs=0.05)


def test_geojson_without_crs_is_read_as_wgs84_and_the_summary_says_so(
    session, tmp_path, contractor
):
    path = write_geojson(tmp_path / "z.geojson", [shapely.box(24.9, 60.1, 25.0, 60.2)])
    summary = _import(session, path, party=contractor.name)
    assert "EPSG:4326" in summary.crs and "assumed" in summary.crs
    assert "not densified" in summary.densified
    assert from_db(_zones(session)[0].geom).equals(shapely.box(24.9, 60.1, 25.0, 60.2))


def test_geojson_in_metres_without_crs_is_refused_with_a_hint(session, tmp_path, contractor):
    path = write_geojson(tmp_path / "z.geojson", [SQUARE_3067])
    with pytest.raises(InvalidInput, match="not longitudes and latitudes.*--srid 3067"):
        _import(session, path, party=contractor.name)
    assert _import(session, path, party=contractor.name, srid="3067").imported == 1


def test_geojson_with_legacy_crs_member_is_read_in_epsg_3067(session, tmp_path, contractor):
    path = write_geojson(tmp_path / "z.geojson", [SQUARE_3067],
                         crs_name="urn:ogc:def:crs:EPSG::3067")
    summary = _import(session, path, party=contractor.name)
    assert "EPSG:3067" in summary.crs and "declared by the file" in summary.crs
    assert _zones(session)[0].area_m2 == pytest.approx(25e6, rel=2e-3)


def test_party_field_assigns_each_zone_its_party(session, tmp_path, contractor):
    city = make_party(session, "Kaupunki")
    session.commit()
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067, SQUARE_3067],
                        {"urakoitsija": ["Kaupunki", "Urakoitsija Oy"]})
    assert _import(session, path, party_field="urakoitsija").imported == 2
    assert [z.party_id for z in _zones(session)] == [city.id, contractor.id]


def test_categories_option_limits_the_zone_to_those_categories(session, tmp_path, contractor):
    lights, potholes = make_category(session, "lights"), make_category(session, "potholes")
    session.commit()
    _import(session, write_vector(tmp_path / "z.gpkg", [SQUARE_3067]),
            party=contractor.name, categories="lights")
    (zone,) = _zones(session)
    assert not zone.all_categories and [c.code for c in zone.categories] == ["lights"]
    centre = _lonlat(382_500, 6_672_500)
    assert _routes_to(session, *centre, lights) == [zone.id]
    assert _routes_to(session, *centre, potholes) == []


def test_categories_and_priority_fields_apply_per_feature(session, tmp_path, contractor):
    make_category(session, "lights"), make_category(session, "roads")
    session.commit()
    path = write_vector(tmp_path / "z.gpkg", [SQUARE_3067] * 3,
                        {"luokat": ["lights,roads", "", "*"], "prio": [5, None, 2]})
    _import(session, path, party=contractor.name, categories_field="luokat",
            priority_field="prio")
    first, second, third = _zones(session)
    assert sorted(c.code for c in first.categories) == ["lights", "roads"]
    assert (second.all_categories, third.all_categories) == (True, True)
    assert [z.priority for z in (first, second, third)] == [5, 0, 2]


def test_validity_dates_are_stored_on_every_zone(session, tmp_path, contractor):
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
    _import(session, write_vector(tmp_path / "z.gpkg", [SQUARE_3067]), party=contractor.name,
            valid_from=start, valid_to=end)
    (zone,) = _zones(session)
    assert (zone.valid_from, zone.valid_to) == (start, end)


def test_replace_swaps_only_that_partys_zones(session, tmp_path, contractor):
    other = make_party(session, "Toinen Oy")
    old = make_zone(session, contractor, shapely.box(24, 60, 25, 61))
    kept = make_zone(session, other, shapely.box(24, 60, 25, 61))
    session.commit()
    summary = _import(session, write_vector(tmp_path / "z.gpkg", [SQUARE_3067] * 2),
                      party=contractor.name, replace=True)
    assert summary.replaced == {"Urakoitsija Oy": 1}
    ids = [z.id for z in _zones(session)]
    assert old.id not in ids and kept.id in ids and len(ids) == 3


def test_import_without_replace_adds_to_existing_zones(session, tmp_path, contractor):
    make_zone(session, contractor, shapely.box(24, 60, 25, 61))
    session.commit()
    _import(session, write_vector(tmp_path / "z.gpkg", [SQUARE_3067]), party=contractor.name)
    assert _count(session) == 2


def test_bow_tie_is_repaired_and_reported(session, tmp_path, contractor):
    summary = _import(session, write_vector(tmp_path / "z.gpkg", [SQUARE_3067, bow_tie()]),
                      party=contractor.name)
    assert summary.imported == 2
    assert len(summary.repaired) == 1 and summary.repaired[0].startswith("feature 2: repaired")
    assert all(from_db(z.geom).is_valid for z in _zones(session))


def test_geopackage_layer_is_chosen_with_layer_and_named_in_the_source(
    session, tmp_path, contractor
):
    path = tmp_path / "urakat.gpkg"
    write_vector(path, [SQUARE_3067], layer="itainen")
    write_vector(path, [SQUARE_3067, SQUARE_3067], layer="lantinen")
    with pytest.raises(InvalidInput, match="several layers; choose one with --layer"):
        _import(session, path, party=contractor.name)
    assert _import(session, path, party=contractor.name, layer="lantinen").imported == 2
    assert [z.source for z in _zones(session)] == ["urakat.gpkg:lantinen#1",
                                                   "urakat.gpkg:lantinen#2"]

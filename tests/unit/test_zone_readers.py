"""Reading vector files with pyogrio: formats, zips, layers, the CRS and clear errors."""
from __future__ import annotations

import zipfile

import pytest
import shapely
from shapely.geometry import box

from feedbackgis.geo.readers import UnreadableFile, read_vector_file, resolve_crs
from tests.zone_files import (
    SQUARE_3067,
    write_geojson,
    write_shapefile,
    write_vector,
    zip_shapefile,
)


def test_geopackage_features_are_numbered_from_one_with_python_attributes(tmp_path):
    path = write_vector(tmp_path / "zones.gpkg", [SQUARE_3067, None],
                        {"name": ["Kallio", None], "prio": [3, 4]})
    data = read_vector_file(path)
    assert [f.number for f in data.features] == [1, 2]
    assert data.features[0].attributes == {"name": "Kallio", "prio": 3}
    assert type(data.features[0].attributes["prio"]) is int
    assert data.features[1].geometry is None and data.features[1].attributes["name"] is None
    assert data.features[0].geometry.equals(SQUARE_3067)
    assert data.declared_crs.to_epsg() == 3067 and data.format_name == "GeoPackage"


def test_missing_integer_becomes_none_not_nan(tmp_path):
    path = write_geojson(tmp_path / "z.geojson", [box(24, 60, 25, 61)] * 2,
                         [{"prio": 1}, {"prio": None}])
    assert [f.attributes["prio"] for f in read_vector_file(path).features] == [1, None]


def test_geopackage_with_several_layers_needs_a_layer_and_lists_them(tmp_path):
    path = tmp_path / "two.gpkg"
    write_vector(path, [SQUARE_3067], layer="contract_a")
    write_vector(path, [SQUARE_3067, SQUARE_3067], layer="contract_b")
    with pytest.raises(UnreadableFile, match="several layers.*--layer: contract_a, contract_b"):
        read_vector_file(path)
    assert len(read_vector_file(path, layer="contract_b").features) == 2
    with pytest.raises(UnreadableFile, match="no layer 'nope'"):
        read_vector_file(path, layer="nope")


def test_zipped_shapefile_inside_a_folder_is_read_with_its_prj(tmp_path):
    shp = write_shapefile(tmp_path / "src", "alueet", [SQUARE_3067], {"NIMI": ["A"]})
    archive = zip_shapefile(shp, tmp_path / "alueet.zip", folder_inside="alueet/")
    data = read_vector_file(archive)
    assert data.format_name == "Shapefile" and data.declared_crs.to_epsg() == 3067
    assert data.features[0].attributes == {"NIMI": "A"}


def test_zip_with_two_shapefiles_is_chosen_from_by_layer(tmp_path):
    first = write_shapefile(tmp_path / "src", "north", [SQUARE_3067])
    second = write_shapefile(tmp_path / "src", "south", [SQUARE_3067])
    archive = zip_shapefile(first, tmp_path / "both.zip")
    with zipfile.ZipFile(archive, "a") as z:
        for part in second.parent.glob("south.*"):
            z.write(part, part.name)
    with pytest.raises(UnreadableFile, match="several data files.*north, south"):
        read_vector_file(archive)
    assert read_vector_file(archive, layer="south").layer == "south"


def test_shapefile_without_prj_declares_no_crs_and_needs_srid(tmp_path):
    shp = write_shapefile(tmp_path, "noprj", [SQUARE_3067], crs=None)
    data = read_vector_file(shp)
    assert data.declared_crs is None
    with pytest.raises(UnreadableFile, match="declares no coordinate reference system.*--srid"):
        resolve_crs(data)
    resolved = resolve_crs(data, "3067")
    assert resolved.crs.to_epsg() == 3067 and "given on the command line" in resolved.explanation


def test_geojson_without_crs_member_is_assumed_wgs84_and_says_so(tmp_path):
    data = read_vector_file(write_geojson(tmp_path / "z.geojson", [box(24, 60, 25, 61)]))
    assert data.declared_crs is None
    resolved = resolve_crs(data)
    assert resolved.crs.to_epsg() == 4326
    assert "assumed" in resolved.explanation and "RFC 7946" in resolved.explanation
    # Projected coordinates exported without a crs member: --srid says what they are.
    assert resolve_crs(data, "EPSG:3067").crs.to_epsg() == 3067


def test_geojson_with_legacy_crs_member_is_read_in_that_crs(tmp_path):
    path = write_geojson(tmp_path / "z.geojson", [SQUARE_3067],
                         crs_name="urn:ogc:def:crs:EPSG::3067")
    data = read_vector_file(path)
    # GDAL (through pyogrio) honours the 2008 GeoJSON crs member.
    assert data.declared_crs.to_epsg() == 3067
    assert "declared by the file" in resolve_crs(data).explanation


def test_srid_that_contradicts_the_file_is_an_error(tmp_path):
    data = read_vector_file(write_vector(tmp_path / "z.gpkg", [SQUARE_3067]))
    with pytest.raises(UnreadableFile, match=r"declares EPSG:3067 .*, but EPSG:4326 \(WGS 84\) was given"):
        resolve_crs(data, "4326")
    assert resolve_crs(data, "EPSG:3067").crs.to_epsg() == 3067


def test_unknown_srid_is_an_error(tmp_path):
    data = read_vector_file(write_vector(tmp_path / "z.gpkg", [SQUARE_3067], crs=None))
    with pytest.raises(UnreadableFile, match="Unknown coordinate reference system"):
        resolve_crs(data, "EPSG:999999")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("zones.gpkg", "not a database", "is not a readable GeoPackage file"),
    ("zones.geojson", "{not json", "is not a readable GeoJSON file"),
    ("zones.txt", "hello", "unsupported file type '.txt'"),
    ("zones.zip", "not a zip", "is not a readable zip file"),
])
def test_files_that_are_not_vector_data_are_refused_clearly(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(UnreadableFile, match=message):
        read_vector_file(path)


def test_missing_file_and_directory_are_refused_clearly(tmp_path):
    with pytest.raises(UnreadableFile, match="no such file"):
        read_vector_file(tmp_path / "missing.gpkg")
    with pytest.raises(UnreadableFile, match="is a directory"):
        read_vector_file(tmp_path)


def test_zip_without_vector_data_is_refused(tmp_path):
    archive = tmp_path / "docs.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableFile, match="holds no GeoJSON"):
        read_vector_file(archive)


def test_empty_geometry_is_read_as_empty(tmp_path):
    path = write_vector(tmp_path / "z.gpkg", [shapely.Polygon(), SQUARE_3067])
    assert read_vector_file(path).features[0].geometry.is_empty

"""Read vector files (GeoJSON, GeoPackage, Shapefile, or a zip of one) into plain features.

pyogrio's raw API reads the whole layer in one call (no geopandas); this module turns its
numpy arrays into python values and shapely geometries, and its GDAL errors into
`UnreadableFile` with a message a user can act on.
"""
from __future__ import annotations

import math
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from feedbackgis.geo.crs import WGS84, UnknownCRS, crs_from_user_input, describe

FORMAT_SUFFIXES = {
    ".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage", ".shp": "Shapefile",
}
SUPPORTED = "GeoJSON (.geojson, .json), GeoPackage (.gpkg), Shapefile (.shp) or a .zip of one"
# The crs member, when a GeoJSON file has one, comes before its features in practice.
GEOJSON_HEAD_BYTES = 1 << 20


class UnreadableFile(ValueError):
    """The file cannot be read as vector data; the message says why, without a traceback."""


@dataclass(frozen=True)
class SourceFeature:
    number: int  # 1-based position in the file: what a user counts in QGIS's table
    geometry: shapely.Geometry | None
    attributes: dict[str, Any]


@dataclass(frozen=True)
class VectorData:
    features: list[SourceFeature]
    fields: list[str]
    # The CRS the file itself declares; None when it declares none (see resolve_crs).
    declared_crs: CRS | None
    format_name: str
    layer: str


@dataclass(frozen=True)
class _Dataset:
    """What GDAL opens: the file itself, or one member of a zip through /vsizip/."""

    path: Path
    format_name: str
    zip_member: str | None = None

    @property
    def gdal_path(self) -> str:
        if self.zip_member is None:
            return str(self.path)
        return f"/vsizip/{self.path.resolve()}/{self.zip_member}"

    def read_head(self, size: int) -> bytes:
        if self.zip_member is None:
            with open(self.path, "rb") as stream:
                return stream.read(size)
        with zipfile.ZipFile(self.path) as archive, archive.open(self.zip_member) as stream:
            return stream.read(size)


@dataclass(frozen=True)
class ResolvedCRS:
    crs: CRS
    explanation: str  # e.g. "EPSG:3067 (ETRS89 / TM35FIN(E,N)), declared by the file"


def read_vector_file(path: str | Path, layer: str | None = None) -> VectorData:
    """Every feature of one layer of the file at `path`, with the file's own CRS."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if path.is_dir():
        raise UnreadableFile(f"{path} is a directory; give the data file itself")
    dataset, layer = _locate_dataset(path, layer)
    layer = _choose_layer(dataset, layer)
    try:
        # force_2d: zones are flat; a Z from a CAD export must not reach the database.
        meta, _fids, wkb, field_data = pyogrio.raw.read(
            dataset.gdal_path, layer=layer, force_2d=True
        )
    except (DataSourceError, DataLayerError) as exc:
        raise _unreadable(dataset, exc) from exc
    geometries = shapely.from_wkb(wkb, on_invalid="ignore") if wkb is not None else None
    fields = [str(name) for name in meta["fields"]]
    columns = [[_python_value(v) for v in column] for column in field_data]
    count = len(geometries) if geometries is not None else len(columns[0]) if columns else 0
    features = [
        SourceFeature(
            number=i + 1,
            geometry=geometries[i] if geometries is not None else None,
            attributes={name: column[i] for name, column in zip(fields, columns, strict=True)},
        )
        for i in range(count)
    ]
    declared = _declared_crs(meta["crs"], dataset)
    return VectorData(features, fields, declared, dataset.format_name, layer or "")


def resolve_crs(data: VectorData, override: str | int | None = None) -> ResolvedCRS:
    """The CRS to read the coordinates in: the file's own, else `override` (--srid), else
    EPSG:4326 for GeoJSON (RFC 7946). A file without one and no override is an error."""
    given = _parse_crs(override) if override not in (None, "") else None
    declared = data.declared_crs
    if declared is not None:
        if given is not None and not _same_crs(given, declared):
            raise UnreadableFile(
                f"The file declares {describe(declared)}, but {describe(given)} was given; "
                "leave out --srid, or fix the file's CRS"
            )
        return ResolvedCRS(declared, f"{describe(declared)}, declared by the file")
    if given is not None:
        return ResolvedCRS(given, f"{describe(given)}, given on the command line")
    if data.format_name == "GeoJSON":
        wgs84 = crs_from_user_input(WGS84)
        return ResolvedCRS(
            wgs84, f"{describe(wgs84)}, assumed: GeoJSON without a crs member (RFC 7946)"
        )
    raise UnreadableFile(
        f"The {data.format_name} file declares no coordinate reference system "
        "(a Shapefile without its .prj?); give one with --srid, e.g. --srid 3067 for "
        "ETRS-TM35FIN"
    )


def _parse_crs(value: str | int) -> CRS:
    text = str(value).strip()
    try:
        return crs_from_user_input(int(text) if text.isdigit() else text)
    except UnknownCRS as exc:
        raise UnreadableFile(str(exc)) from exc


def _same_crs(a: CRS, b: CRS) -> bool:
    if a.equals(b, ignore_axis_order=True):
        return True
    # A .prj in ESRI's WKT dialect may describe EPSG:3067 without naming it.
    code_a, code_b = a.to_epsg(min_confidence=70), b.to_epsg(min_confidence=70)
    return code_a is not None and code_a == code_b


def _locate_dataset(path: Path, layer: str | None) -> tuple[_Dataset, str | None]:
    """What GDAL should open, and the layer still to choose inside it."""
    suffix = path.suffix.lower()
    if suffix in FORMAT_SUFFIXES:
        return _Dataset(path, FORMAT_SUFFIXES[suffix]), layer
    if suffix == ".zip":
        member, layer = _choose_zip_member(path, layer)
        return _Dataset(path, _format_of(member), member), layer
    raise UnreadableFile(f"{path}: unsupported file type {suffix or '(none)'!r}; give {SUPPORTED}")


def _choose_zip_member(path: Path, layer: str | None) -> tuple[str, str | None]:
    """The data file inside the zip (it may sit in a folder); `layer` may name it."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"{path} is not a readable zip file: {exc}") from exc
    members = [
        n for n in names
        if Path(n).suffix.lower() in FORMAT_SUFFIXES
        and not n.startswith("__MACOSX/") and not Path(n).name.startswith(".")
    ]
    if not members:
        raise UnreadableFile(f"{path} holds no {SUPPORTED.removesuffix(' or a .zip of one')}")
    if len(members) == 1:
        return members[0], layer
    chosen = [m for m in members if layer in (m, Path(m).stem)]
    if len(chosen) == 1:
        return chosen[0], None  # the layer option named the file; it has done its job
    listing = ", ".join(Path(m).stem for m in members)
    raise UnreadableFile(f"{path} holds several data files; choose one with --layer: {listing}")


def _format_of(member: str) -> str:
    return FORMAT_SUFFIXES[Path(member).suffix.lower()]


def _choose_layer(dataset: _Dataset, layer: str | None) -> str | None:
    path = dataset.path
    try:
        listed = pyogrio.list_layers(dataset.gdal_path)
    except DataSourceError as exc:
        raise _unreadable(dataset, exc) from exc
    names = [str(name) for name, _geometry_type in listed]
    if layer is not None:
        if layer not in names:
            raise UnreadableFile(f"{path} has no layer {layer!r}; its layers: {_names(names)}")
        return layer
    # Attribute-only tables of a GeoPackage have no geometry type; they hold no zones.
    spatial = [str(name) for name, geometry_type in listed if geometry_type is not None]
    if len(names) == 1:
        return names[0]
    if len(spatial) == 1:
        return spatial[0]
    if not spatial:
        raise UnreadableFile(f"{path} has no layer with geometries")
    raise UnreadableFile(f"{path} has several layers; choose one with --layer: {_names(spatial)}")


def _unreadable(dataset: _Dataset, exc: Exception) -> UnreadableFile:
    # GDAL's own advice (prefix the path with a driver name) does not apply to our users.
    reason = str(exc).split("; It might help", 1)[0].rstrip(".")
    return UnreadableFile(f"{dataset.path} is not a readable {dataset.format_name} file "
                          f"({reason})")


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _declared_crs(reported: str | None, dataset: _Dataset) -> CRS | None:
    if not reported:
        return None
    try:
        crs = crs_from_user_input(reported)
    except UnknownCRS as exc:
        raise UnreadableFile(f"{dataset.path}: {exc}") from exc
    # GDAL reports EPSG:4326 for every GeoJSON without a crs member (the RFC 7946 default);
    # we want to know whether the file said so, to let --srid apply and to say we assumed.
    if dataset.format_name == "GeoJSON" and crs.to_epsg() == WGS84:
        return crs if _geojson_has_crs_member(dataset) else None
    return crs


def _geojson_has_crs_member(dataset: _Dataset) -> bool:
    head = dataset.read_head(GEOJSON_HEAD_BYTES).decode("utf-8", errors="replace")
    before_features = head.split('"features"', 1)[0]
    return re.search(r'"crs"\s*:', before_features) is not None


def _python_value(value: Any) -> Any:
    """A numpy cell as a plain python value; missing numbers (NaN) become None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime | date | str | int | float | bool) or value is None:
        return value
    return str(value)


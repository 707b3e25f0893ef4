"""Writers of small vector files for the zone-import tests (GeoPackage, Shapefile, GeoJSON)."""
from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio.raw import write
from shapely.geometry import box

# A 5 km x 5 km square in EPSG:3067 near Helsinki (x 380-385 km, y 6670-6675 km).
SQUARE_3067 = box(380_000, 6_670_000, 385_000, 6_675_000)
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def write_vector(path: Path, geometries: list[shapely.Geometry | None],
                 fields: dict[str, list[Any]] | None = None, *, crs: str | None = "EPSG:3067",
                 layer: str | None = None, geometry_type: str = "Unknown") -> Path:
    """Write features with pyogrio's raw API; the driver follows the file's suffix."""
    fields = fields or {}
    wkb = np.array([None if g is None else shapely.to_wkb(g) for g in geometries], dtype=object)
    arrays = [_column(values) for values in fields.values()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "crs was not provided": some tests mean it
        write(str(path), wkb, arrays, fields=list(fields), crs=crs, layer=layer,
              geometry_type=geometry_type)
    return path


def _column(values: list[Any]) -> np.ndarray:
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype="int64")
    return np.array([None if v is None else str(v) for v in values], dtype=object)


def write_shapefile(folder: Path, name: str, geometries: list[shapely.Geometry],
                    fields: dict[str, list[Any]] | None = None, *, crs: str | None = "EPSG:3067"
                    ) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_vector(folder / f"{name}.shp", geometries, fields, crs=crs,
                        geometry_type="Polygon")


def zip_shapefile(shp: Path, archive: Path, folder_inside: str = "") -> Path:
    """Zip a Shapefile's sidecar files, optionally inside a folder as people usually do."""
    with zipfile.ZipFile(archive, "w") as z:
        for suffix in SHAPEFILE_PARTS:
            part = shp.with_suffix(suffix)
            if part.exists():
                z.write(part, f"{folder_inside}{part.name}")
    return archive


def write_geojson(path: Path, geometries: list[shapely.Geometry | None],
                  properties: list[dict[str, Any]] | None = None,
                  crs_name: str | None = None) -> Path:
    """A FeatureCollection; `crs_name` adds the legacy (GeoJSON 2008) crs member."""
    properties = properties or [{} for _ in geometries]
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if crs_name:
        collection["crs"] = {"type": "name", "properties": {"name": crs_name}}
    collection["features"] = [
        {"type": "Feature", "properties": props,
         "geometry": None if g is None else shapely.geometry.mapping(g)}
        for g, props in zip(geometries, properties, strict=True)
    ]
    path.write_text(json.dumps(collection))
    return path


def bow_tie(x0: float = 380_000, y0: float = 6_670_000, size: float = 1_000) -> shapely.Polygon:
    """A self-intersecting ring (an invalid polygon) shaped like a bow tie."""
    return shapely.Polygon([(x0, y0), (x0 + size, y0 + size), (x0 + size, y0), (x0, y0 + size)])

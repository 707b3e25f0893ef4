"""CRS handling: cached pyproj Transformers, always in lon/lat (x/y) order."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

WGS84 = 4326
ETRS_TM35FIN = 3067


class UnknownCRS(ValueError):
    pass


@lru_cache(maxsize=64)
def crs_from_user_input(value: str | int) -> CRS:
    """A CRS from 'EPSG:3067', 3067, a WKT or a PROJ string; UnknownCRS says why not."""
    try:
        return CRS.from_user_input(value)
    except CRSError as exc:
        raise UnknownCRS(f"Unknown coordinate reference system {value!r}: {exc}") from exc


@lru_cache(maxsize=64)
def transformer(source: CRS, target: CRS) -> Transformer:
    # always_xy: lon, lat order whatever the CRS's official axis order says.
    return Transformer.from_crs(source, target, always_xy=True)


def to_wgs84(geometry: shapely.Geometry, source: CRS) -> shapely.Geometry:
    """Reproject a shapely geometry from `source` to EPSG:4326 (lon, lat)."""
    target = crs_from_user_input(WGS84)
    if source == target:
        return geometry
    return reproject(geometry, source, target)


def reproject(geometry: shapely.Geometry, source: CRS, target: CRS) -> shapely.Geometry:
    t = transformer(source, target)

    def _apply(coords: np.ndarray) -> np.ndarray:
        x, y = t.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, _apply)


def describe(crs: CRS) -> str:
    """A short human label such as 'EPSG:3067 (ETRS89 / TM35FIN(E,N))'."""
    epsg = crs.to_epsg()
    code = f"EPSG:{epsg}" if epsg else "custom CRS"
    return f"{code} ({crs.name})"

"""Validation of coordinates given by residents and clients (always lon, lat in degrees)."""
from __future__ import annotations

import math


class CoordinateError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_lon_lat(lon: float, lat: float) -> None:
    """Raise CoordinateError naming the field when a coordinate cannot be a WGS 84 degree."""
    if not math.isfinite(lon):
        raise CoordinateError("lon", "Longitude must be a finite number.")
    if not math.isfinite(lat):
        raise CoordinateError("lat", "Latitude must be a finite number.")
    if not -180.0 <= lon <= 180.0:
        raise CoordinateError("lon", f"Longitude must be between -180 and 180, got {lon}.")
    if not -90.0 <= lat <= 90.0:
        raise CoordinateError("lat", f"Latitude must be between -90 and 90, got {lat}.")

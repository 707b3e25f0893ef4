"""What we read from a photo's EXIF before it is thrown away: the orientation (applied by
re-encoding) and the GPS position (offered to the uploader once as the report's pin)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PIL import ExifTags, Image

from feedbackgis.domain.coordinates import CoordinateError, check_lon_lat

GPS = ExifTags.GPS


@dataclass(frozen=True)
class GpsPosition:
    lon: float
    lat: float

    def as_dict(self) -> dict[str, float]:
        return {"lon": self.lon, "lat": self.lat}


def gps_position(image: Image.Image) -> GpsPosition | None:
    """The position the camera wrote, in degrees (west and south negative), or None when
    there is none or it makes no sense (a zero denominator, a latitude of 91 degrees)."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # noqa: BLE001 - any malformed EXIF means "no position", never a 500
        return None
    lat = _degrees(gps.get(GPS.GPSLatitude), gps.get(GPS.GPSLatitudeRef), negative="S")
    lon = _degrees(gps.get(GPS.GPSLongitude), gps.get(GPS.GPSLongitudeRef), negative="W")
    if lon is None or lat is None:
        return None
    try:
        check_lon_lat(lon, lat)
    except CoordinateError:
        return None
    return GpsPosition(lon=round(lon, 7), lat=round(lat, 7))


def _degrees(value: Any, ref: Any, *, negative: str) -> float | None:
    """Degrees, minutes, seconds (EXIF rationals) and a hemisphere letter as signed degrees."""
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    total = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(total):
        return None
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -total if str(ref).strip().upper() == negative else total

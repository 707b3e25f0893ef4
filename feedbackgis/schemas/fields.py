"""Custom fields shared by schemas."""
from __future__ import annotations

import math
from typing import Any

from marshmallow import ValidationError, fields

from feedbackgis.domain.coordinates import CoordinateError, check_lon_lat
from feedbackgis.errors import InvalidInput

LOCATION_HELP = 'Give {"lon": .., "lat": ..} in degrees (WGS 84) or a GeoJSON Point.'


def _number(value: Any, name: str) -> float:
    # A JSON number only: "24.9" in quotes is a string, as the OpenAPI document says.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError({name: ["Not a valid number."]})
    try:
        number = float(value)
    except OverflowError:  # a JSON integer of 400 digits
        raise ValidationError({name: ["Not a valid number."]}) from None
    if not math.isfinite(number):
        raise ValidationError({name: ["Must be a finite number."]})
    return number


class Location(fields.Field):
    """A point as {"lon", "lat"} or a GeoJSON Point; loads to a (lon, lat) tuple."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any):
        if not isinstance(value, dict):
            raise ValidationError(LOCATION_HELP)
        if "coordinates" in value or "type" in value:
            lon, lat = self._from_geojson(value)
        elif "lon" in value and "lat" in value:
            extra = set(value) - {"lon", "lat"}
            if extra:
                raise ValidationError(f"Unknown key(s) {sorted(extra)}. {LOCATION_HELP}")
            lon, lat = _number(value["lon"], "lon"), _number(value["lat"], "lat")
        else:
            raise ValidationError(LOCATION_HELP)
        try:
            check_lon_lat(lon, lat)
        except CoordinateError as exc:
            raise ValidationError({exc.field: [str(exc)]}) from None
        return lon, lat

    @staticmethod
    def _from_geojson(value: dict[str, Any]) -> tuple[float, float]:
        if value.get("type") != "Point":
            raise ValidationError(f"A GeoJSON location must be of type Point. {LOCATION_HELP}")
        coords = value.get("coordinates")
        if not isinstance(coords, list) or len(coords) not in (2, 3):
            raise ValidationError(
                "GeoJSON Point coordinates must be [lon, lat] (optionally with a height)."
            )
        return _number(coords[0], "lon"), _number(coords[1], "lat")

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any):
        if value is None:
            return None
        lon, lat = value
        return {"lon": round(lon, 7), "lat": round(lat, 7)}


class StrictBoolean(fields.Boolean):
    """true or false only; marshmallow's Boolean also takes 1, "yes", "on" and the like,
    which the OpenAPI document (type: boolean) does not allow."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def refuse_nul_characters(value: Any, path: str = "") -> None:
    """No text we store may hold U+0000: PostgreSQL refuses it, and no person types it.
    Every body is checked before it is loaded: the API's JSON and the pages' forms alike."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidInput("Must not contain the NUL character (U+0000).",
                               field=path or "_body")
    elif isinstance(value, dict):
        for key, inner in value.items():
            refuse_nul_characters(key, path)
            refuse_nul_characters(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            refuse_nul_characters(inner, f"{path}.{index}")

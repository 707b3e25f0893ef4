"""Area subscriptions and report followers in; the one answer out.

The area arrives as a GeoJSON Polygon (lon, lat) or as a circle around a point. This schema
checks its form; the service checks the geometry (validity, size, the service area).
"""
from __future__ import annotations

from typing import Any

import shapely
from marshmallow import Schema, ValidationError, fields, post_load, validate

from feedbackgis.domain.coordinates import CoordinateError, check_lon_lat
from feedbackgis.domain.limits import (
    EMAIL_MAX_LENGTH,
    SUBSCRIPTION_RADIUS_MAX_M,
    SUBSCRIPTION_RADIUS_MIN_M,
)
from feedbackgis.i18n import LANGUAGES
from feedbackgis.schemas.fields import LOCATION_HELP, Location, _number
from feedbackgis.services.subscriptions.area_subscriptions import Circle, NewAreaSubscription

AREA_HELP = ('Give a GeoJSON Polygon in lon, lat degrees, or {"center": {"lon": .., "lat": ..}, '
             '"radius_m": ..}.')
RADIUS_HELP = (f"The radius must be {SUBSCRIPTION_RADIUS_MIN_M} to {SUBSCRIPTION_RADIUS_MAX_M} "
               "metres.")


class SubscriptionArea(fields.Field):
    """Loads to a shapely Polygon (lon, lat) or a Circle."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any):
        if not isinstance(value, dict):
            raise ValidationError(AREA_HELP)
        if "type" in value or "coordinates" in value:
            return _polygon(value)
        if "center" in value or "radius_m" in value:
            return _circle(value)
        raise ValidationError(AREA_HELP)


def _polygon(value: dict[str, Any]) -> shapely.Polygon:
    if value.get("type") != "Polygon":
        raise ValidationError({"type": [f"The area must be one GeoJSON Polygon. {AREA_HELP}"]})
    rings = value.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise ValidationError({"coordinates": ["Give a list of linear rings (RFC 7946)."]})
    shell, *holes = [_ring(ring, index) for index, ring in enumerate(rings)]
    return shapely.Polygon(shell, holes)


def _ring(ring: Any, index: int) -> list[tuple[float, float]]:
    def refuse(message: str) -> ValidationError:
        return ValidationError({"coordinates": {index: [message]}})

    if not isinstance(ring, list) or len(ring) < 4:
        raise refuse("A linear ring needs at least four positions [lon, lat].")
    positions = [_position(position, index) for position in ring]
    if positions[0] != positions[-1]:
        raise refuse("A linear ring must end at the position where it starts.")
    return positions


def _position(position: Any, ring_index: int) -> tuple[float, float]:
    def refuse(message: str) -> ValidationError:
        return ValidationError({"coordinates": {ring_index: [message]}})

    if not isinstance(position, list) or len(position) not in (2, 3):
        raise refuse("A position is [lon, lat] in degrees.")
    if not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position):
        raise refuse("A position's coordinates must be numbers.")
    try:
        lon, lat = float(position[0]), float(position[1])
        check_lon_lat(lon, lat)
    except OverflowError:
        raise refuse("A coordinate is far too large.") from None
    except CoordinateError as exc:
        raise refuse(str(exc)) from None
    return lon, lat


def _circle(value: dict[str, Any]) -> Circle:
    extra = set(value) - {"center", "radius_m"}
    if extra:
        raise ValidationError(f"Unknown key(s) {sorted(extra)}. {AREA_HELP}")
    errors: dict[str, Any] = {}
    centre = radius = None
    try:
        centre = _centre(value.get("center"))
    except ValidationError as exc:
        errors["center"] = exc.messages
    try:
        radius = _radius(value.get("radius_m"))
    except ValidationError as exc:
        errors["radius_m"] = exc.messages
    if errors or centre is None or radius is None:
        raise ValidationError(errors)
    return Circle(lon=centre[0], lat=centre[1], radius_m=radius)


def _centre(value: Any) -> tuple[float, float]:
    if value is None:
        raise ValidationError([LOCATION_HELP])
    return Location().deserialize(value)


def _radius(value: Any) -> float:
    if value is None:
        raise ValidationError([RADIUS_HELP])
    try:
        radius = _number(value, "radius_m")
    except ValidationError:
        raise ValidationError([f"Not a valid number. {RADIUS_HELP}"]) from None
    if not SUBSCRIPTION_RADIUS_MIN_M <= radius <= SUBSCRIPTION_RADIUS_MAX_M:
        raise ValidationError([RADIUS_HELP])
    return radius


class FollowerIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=EMAIL_MAX_LENGTH))
    language = fields.String(load_default="fi", validate=validate.OneOf(LANGUAGES))


class AreaSubscriptionIn(FollowerIn):
    area = SubscriptionArea(
        required=True,
        metadata={"description": "A GeoJSON Polygon in lon, lat degrees, or "
                                 '{"center": {"lon", "lat"}, "radius_m": 50..20000}'},
    )

    @post_load
    def _to_new_subscription(self, data: dict[str, Any], **_: Any) -> NewAreaSubscription:
        return NewAreaSubscription(**data)


class AcceptedOut(Schema):
    status = fields.String(
        metadata={"description": '"confirmation_sent": the same answer for every address'}
    )

"""Zones drawn on the admin's map: every zone, simplified inside PostGIS for display."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.models import Zone

# About 10 m at Finnish latitudes: invisible at the zooms a whole city is seen at, and it
# keeps a 5,000-vertex contract area to a few hundred vertices in the page.
DISPLAY_TOLERANCE_DEGREES = 0.0001
COORDINATE_DIGITS = 6  # about 0.1 m


@dataclass(frozen=True)
class ZoneShape:
    id: int
    party_id: int
    geometry: dict[str, Any]  # GeoJSON, lon/lat


def zone_shapes(session: Session, tolerance: float = DISPLAY_TOLERANCE_DEGREES
                ) -> list[ZoneShape]:
    """Every zone's outline, simplified (ST_SimplifyPreserveTopology keeps it valid and its
    holes), in the reverse of routing's preference (domain/routing.zone_preference): drawn
    in this order, the zone that routing picks where zones overlap is on top."""
    simplified = func.ST_SimplifyPreserveTopology(Zone.geom, tolerance)
    rows = session.execute(
        select(Zone.id, Zone.party_id, func.ST_AsGeoJSON(simplified, COORDINATE_DIGITS))
        .order_by(Zone.priority, Zone.area_m2.desc().nulls_last(), Zone.id.desc())
    )
    return [ZoneShape(zone_id, party_id, json.loads(geojson))
            for zone_id, party_id, geojson in rows if geojson]

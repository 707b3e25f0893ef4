"""import_service_area: the municipality's boundary from a vector file (all or nothing)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import shapely
from sqlalchemy import delete
from sqlalchemy.orm import Session

from feedbackgis.errors import InvalidInput
from feedbackgis.geo.convert import to_db
from feedbackgis.geo.zone_geometry import (
    clean_polygonal,
    geodesic_area_m2,
    outside_area_of_use,
    reproject_densified,
)
from feedbackgis.models import ServiceArea
from feedbackgis.services.transaction import transaction
from feedbackgis.services.zones.import_source import ImportRefused, densify_note, read_source
from feedbackgis.services.zones.zone_import_plan import NAME_MAX_LENGTH, describe_by_feature


@dataclass(frozen=True)
class ServiceAreaSummary:
    name: str
    source: str
    crs: str
    densified: str
    features: int
    polygons: int
    area_km2: float
    replaced: int  # service-area rows deleted
    repaired: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_service_area(
    session: Session, path: str | Path, *, name: str | None = None, srid: str | None = None,
    layer: str | None = None, densify_segment: float = 100.0,
) -> ServiceAreaSummary:
    """Replace the service area with the union of the file's polygons (committed here)."""
    path = Path(path)
    data, crs = read_source(path, srid, layer)
    cleaned = [(f.number, clean_polygonal(f.geometry)) for f in data.features]
    problems = describe_by_feature((n, c.refusal) for n, c in cleaned if c.refusal)
    if problems:
        raise ImportRefused(path.name, problems)
    # Union in the source CRS, where neighbouring districts share their edges exactly.
    union = shapely.union_all([c.geometry for _n, c in cleaned])
    area = reproject_densified(union, crs.crs, densify_segment)
    if area.geometry is None:
        raise InvalidInput(f"Nothing imported from {path.name}: the union has {area.refusal}")
    name = (name or path.stem).strip()[:NAME_MAX_LENGTH]
    with transaction(session):
        replaced = session.execute(delete(ServiceArea)).rowcount
        session.add(ServiceArea(name=name, geom=to_db(area.geometry)))
    misplaced = outside_area_of_use(area.geometry.bounds, crs.crs)
    return ServiceAreaSummary(
        name=name, source=str(path), crs=crs.explanation,
        densified=densify_note(crs.crs, densify_segment), features=len(data.features),
        polygons=len(area.geometry.geoms), area_km2=geodesic_area_m2(area.geometry) / 1e6,
        replaced=replaced,
        repaired=describe_by_feature((n, c.repair) for n, c in cleaned if c.repair),
        warnings=[misplaced] if misplaced else [],
    )

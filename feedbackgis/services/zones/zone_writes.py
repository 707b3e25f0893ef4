"""The writes of a zone import: deleting a party's zones, inserting the planned ones.

Multi-row INSERTs of plain rows (no ORM objects); the database's triggers compute each
zone's area_m2 and its subdivided zone_part rows.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from feedbackgis.geo.convert import to_db
from feedbackgis.models import Zone, zone_category
from feedbackgis.services.zones.zone_import_plan import PlannedZone, ProgressCallback

INSERT_BATCH = 500  # rows per INSERT: large enough to be fast, small enough for progress
Validity = tuple[datetime | None, datetime | None]  # valid_from, valid_to (exclusive)


def delete_zones_of(session: Session, parties: dict[str, int]) -> dict[str, int]:
    """Delete the zones of these parties (zone_part and zone_category rows cascade)."""
    deleted = {}
    for name, party_id in sorted(parties.items()):
        result = session.execute(
            delete(Zone).where(Zone.party_id == party_id),
            execution_options={"synchronize_session": False},
        )
        deleted[name] = result.rowcount
    return deleted


def insert_zones(
    session: Session, zones: list[PlannedZone], party_ids: dict[str, int],
    category_ids: dict[str, int], source: str, validity: Validity,
    progress: ProgressCallback | None = None,
) -> None:
    """Insert the zones (refused ones never come here) and their category links."""
    # Multi-row INSERTs; the zone triggers compute area_m2 and the subdivided parts.
    statement = insert(Zone).returning(Zone.id, sort_by_parameter_order=True)
    for start in range(0, len(zones), INSERT_BATCH):
        batch = zones[start:start + INSERT_BATCH]
        rows = [_zone_row(z, party_ids, source, validity) for z in batch]
        zone_ids = session.scalars(statement, rows).all()
        links = [
            {"zone_id": zone_id, "category_id": category_ids[code]}
            for zone_id, zone in zip(zone_ids, batch, strict=True)
            for code in zone.category_codes or ()
        ]
        if links:
            session.execute(insert(zone_category), links)
        if progress:
            progress("Saving zones", start + len(batch), len(zones))


def _zone_row(zone: PlannedZone, party_ids: dict[str, int], source: str,
              validity: Validity) -> dict[str, object]:
    assert zone.geometry is not None and zone.party_name is not None  # refused otherwise
    return {
        "party_id": party_ids[zone.party_name],
        "name": zone.name,
        "source": f"{source}#{zone.number}"[-500:],
        "geom": to_db(zone.geometry),
        "all_categories": zone.category_codes is None,
        "priority": zone.priority,
        "valid_from": validity[0],
        "valid_to": validity[1],
    }

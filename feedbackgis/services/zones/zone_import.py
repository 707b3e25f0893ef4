"""import_zones: a zone file (GeoJSON, GeoPackage, Shapefile, zip) into the zone table.

All or nothing: every feature is checked before anything is written, and the writes share
one transaction. The database keeps zone.area_m2 and the subdivided zone_part rows in step
by trigger, so this module only inserts zones and their categories.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from feedbackgis.errors import InvalidInput
from feedbackgis.geo.convert import to_db
from feedbackgis.geo.readers import VectorData
from feedbackgis.geo.zone_geometry import outside_area_of_use
from feedbackgis.models import Category, Party, Zone, zone_category
from feedbackgis.services.transaction import transaction
from feedbackgis.services.zones.import_source import ImportRefused, densify_note, read_source
from feedbackgis.services.zones.zone_import_plan import (
    FieldMapping,
    PlannedZone,
    ProgressCallback,
    describe_by_feature,
    match_field,
    parse_category_codes,
    plan_zones,
    refuse_unknown_names,
)

INSERT_BATCH = 500  # rows per INSERT: large enough to be fast, small enough for progress
KNOWN_NAMES_SHOWN = 20


@dataclass(frozen=True)
class ZoneImportOptions:
    party: str | None = None
    party_field: str | None = None
    categories: str | None = None  # comma-separated category codes, as typed
    categories_field: str | None = None
    priority: int | None = None
    priority_field: str | None = None
    name_field: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None  # exclusive: the first instant the zones stop routing
    replace: bool = False
    skip_invalid: bool = False
    srid: str | None = None  # the CRS when the file declares none
    layer: str | None = None
    densify_segment: float = 100.0


@dataclass(frozen=True)
class ImportSummary:
    source: str
    crs: str  # which CRS the coordinates were read in, and why
    densified: str
    features: int
    imported: int
    repaired: list[str] = field(default_factory=list)  # "feature 3: repaired ..." lines
    refused: list[str] = field(default_factory=list)
    replaced: dict[str, int] = field(default_factory=dict)  # party name -> zones deleted
    warnings: list[str] = field(default_factory=list)


def import_zones(
    session: Session, path: str | Path, options: ZoneImportOptions,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import every polygon of the file as a zone, in one transaction (committed here)."""
    path = Path(path)
    data, crs = read_source(path, options.srid, options.layer)
    mapping = field_mapping(data, options, default_name=path.stem)
    with transaction(session):
        _check_named_on_command_line(session, mapping)
        planned = plan_zones(data.features, crs.crs, mapping, options.densify_segment, progress)
        parties = _party_ids(session, {z.party_name for z in planned if z.party_name})
        categories = _category_ids(session, {c for z in planned for c in z.category_codes or ()})
        planned = refuse_unknown_names(planned, set(parties), set(categories))
        accepted = _accepted(path.name, planned, options.skip_invalid, session)
        receiving = {z.party_name: parties[z.party_name] for z in accepted if z.party_name}
        replaced = _delete_zones_of(session, receiving) if options.replace else {}
        source = f"{path.name}:{data.layer}" if options.layer else path.name
        _insert_zones(session, accepted, parties, categories, options, source, progress)
        warnings = _warnings(session, accepted, crs.crs, set(receiving))
    return ImportSummary(
        source=str(path), crs=crs.explanation,
        densified=densify_note(crs.crs, options.densify_segment),
        features=len(planned), imported=len(accepted),
        repaired=describe_by_feature((z.number, z.repair) for z in accepted if z.repair),
        refused=_problems(planned), replaced=replaced,
        warnings=warnings,
    )


def field_mapping(data: VectorData, options: ZoneImportOptions, default_name: str
                  ) -> FieldMapping:
    """Check the option pairs (a value or a field, not both) and find the fields."""
    _one_of(options.party, options.party_field, "--party", "--party-field", required=True)
    _one_of(options.categories, options.categories_field, "--categories", "--categories-field")
    _one_of(options.priority, options.priority_field, "--priority", "--priority-field")
    if options.valid_from and options.valid_to and options.valid_from >= options.valid_to:
        raise InvalidInput("--valid-from must come before --valid-to")

    def find(name: str | None) -> str | None:
        return match_field(data.fields, name) if name else None

    return FieldMapping(
        party=options.party.strip() if options.party else None,
        party_field=find(options.party_field),
        categories=parse_category_codes(options.categories or ""),
        categories_field=find(options.categories_field),
        priority=options.priority or 0,
        priority_field=find(options.priority_field),
        name_field=find(options.name_field),
        default_name=default_name,
    )


def _one_of(value: object, field_name: str | None, value_option: str, field_option: str,
            required: bool = False) -> None:
    if value is not None and field_name is not None:
        raise InvalidInput(f"Give {value_option} or {field_option}, not both")
    if required and value is None and field_name is None:
        raise InvalidInput(f"Give {value_option} NAME or {field_option} FIELD")


def _check_named_on_command_line(session: Session, mapping: FieldMapping) -> None:
    """A party or category typed on the command line must exist: no feature could use it."""
    if mapping.party and not _party_ids(session, {mapping.party}):
        raise InvalidInput(f"Unknown party {mapping.party!r}. {_known_parties_hint(session)}")
    codes = set(mapping.categories or ())
    unknown = sorted(codes - set(_category_ids(session, codes)))
    if unknown:
        raise InvalidInput(f"Unknown category code(s): {', '.join(unknown)}")


def _party_ids(session: Session, names: set[str]) -> dict[str, int]:
    if not names:
        return {}
    rows = session.execute(select(Party.name, Party.id).where(Party.name.in_(names)))
    return {name: party_id for name, party_id in rows}


def _category_ids(session: Session, codes: set[str]) -> dict[str, int]:
    if not codes:
        return {}
    rows = session.execute(select(Category.code, Category.id).where(Category.code.in_(codes)))
    return {code: category_id for code, category_id in rows}


def _known_parties_hint(session: Session) -> str:
    names = session.scalars(select(Party.name).order_by(Party.name)).all()
    if not names:
        return "There are no parties yet; create them with `feedbackgis parties add`."
    shown = ", ".join(names[:KNOWN_NAMES_SHOWN]) + (" ..." if len(names) > KNOWN_NAMES_SHOWN
                                                     else "")
    return f"Create parties with `feedbackgis parties add`; known parties: {shown}"


def _problems(planned: list[PlannedZone]) -> list[str]:
    return describe_by_feature((z.number, "; ".join(z.problems)) for z in planned if z.refused)


def _accepted(source: str, planned: list[PlannedZone], skip_invalid: bool, session: Session
              ) -> list[PlannedZone]:
    """The zones to import; refuses the whole file unless told to skip refused features."""
    accepted = [z for z in planned if not z.refused]
    if len(accepted) == len(planned) or (skip_invalid and accepted):
        return accepted
    hints = []
    if any("unknown party" in p for z in planned for p in z.problems):
        hints.append(_known_parties_hint(session))
    if not accepted:
        hints.append("No feature could be imported.")
    raise ImportRefused(source, _problems(planned), hints, others_importable=bool(accepted))


def _delete_zones_of(session: Session, parties: dict[str, int]) -> dict[str, int]:
    """Delete the zones of these parties (zone_part and zone_category rows cascade)."""
    deleted = {}
    for name, party_id in sorted(parties.items()):
        result = session.execute(
            delete(Zone).where(Zone.party_id == party_id),
            execution_options={"synchronize_session": False},
        )
        deleted[name] = result.rowcount
    return deleted


def _insert_zones(
    session: Session, zones: list[PlannedZone], party_ids: dict[str, int],
    category_ids: dict[str, int], options: ZoneImportOptions, source: str,
    progress: ProgressCallback | None,
) -> None:
    # Multi-row INSERTs; the zone triggers compute area_m2 and the subdivided parts.
    statement = insert(Zone).returning(Zone.id, sort_by_parameter_order=True)
    for start in range(0, len(zones), INSERT_BATCH):
        batch = zones[start:start + INSERT_BATCH]
        rows = [_zone_row(z, party_ids, options, source) for z in batch]
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


def _zone_row(zone: PlannedZone, party_ids: dict[str, int], options: ZoneImportOptions,
              source: str) -> dict[str, object]:
    assert zone.geometry is not None and zone.party_name is not None  # refused otherwise
    return {
        "party_id": party_ids[zone.party_name],
        "name": zone.name,
        "source": f"{source}#{zone.number}"[-500:],
        "geom": to_db(zone.geometry),
        "all_categories": zone.category_codes is None,
        "priority": zone.priority,
        "valid_from": options.valid_from,
        "valid_to": options.valid_to,
    }


def _warnings(session: Session, zones: list[PlannedZone], crs: CRS, party_names: set[str]
              ) -> list[str]:
    warnings = []
    geometries = np.asarray([z.geometry for z in zones], dtype=object)
    if len(geometries):
        misplaced = outside_area_of_use(shapely.total_bounds(geometries).tolist(), crs)
        warnings += [misplaced] if misplaced else []
    inactive = session.scalars(
        select(Party.name).where(Party.name.in_(party_names), Party.active.is_(False))
    ).all()
    warnings += [f"party {n!r} is inactive: its zones route nothing until it is activated"
                 for n in inactive]
    return warnings

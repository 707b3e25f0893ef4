"""import_zones: a zone file (GeoJSON, GeoPackage, Shapefile, zip) into the zone table.

All or nothing: every feature is checked before anything is written, and the writes share
one transaction. The database keeps zone.area_m2 and the subdivided zone_part rows in step
by trigger, so its writes (zone_writes.py) only insert zones and their categories.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.errors import Conflict, InvalidInput
from feedbackgis.geo.readers import ResolvedCRS, VectorData
from feedbackgis.geo.zone_geometry import outside_area_of_use
from feedbackgis.models import Category, Party
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor
from feedbackgis.services.transaction import transaction
from feedbackgis.services.zones.import_source import ImportRefused, densify_note, read_source
from feedbackgis.services.zones.zone_audit import record_zone_changes, zone_counts
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
from feedbackgis.services.zones.zone_writes import delete_zones_of, insert_zones

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
    # The number of zones a preview showed: the import is refused if the file now plans
    # another number (a party or category changed meanwhile), instead of surprising anyone.
    expect_zones: int | None = None


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


@dataclass(frozen=True)
class ZoneImportPlan:
    """What a file would become: every feature planned (or refused), nothing written yet.

    The one reading of a zone file, shared by the import, its preview and the routing
    what-if (services/zones/upload_preview.py), so the three cannot disagree."""

    file_name: str
    source: str  # the file name (and layer) as zone.source records it
    crs: ResolvedCRS
    options: ZoneImportOptions
    planned: list[PlannedZone]
    party_ids: dict[str, int]  # of the parties the features name, where they exist
    category_ids: dict[str, int]

    @property
    def accepted(self) -> list[PlannedZone]:
        return [z for z in self.planned if not z.refused]

    @property
    def receiving(self) -> dict[str, int]:
        """The parties that get zones (name -> id): --replace deletes theirs first."""
        return {z.party_name: self.party_ids[z.party_name] for z in self.accepted
                if z.party_name}

    @property
    def refused(self) -> list[str]:
        return _problems(self.planned)

    @property
    def repaired(self) -> list[str]:
        return describe_by_feature((z.number, z.repair) for z in self.accepted if z.repair)

    @property
    def densified(self) -> str:
        return densify_note(self.crs.crs, self.options.densify_segment)


def import_zones(
    session: Session, path: str | Path, options: ZoneImportOptions,
    progress: ProgressCallback | None = None, *, actor: ChangeActor = SYSTEM,
) -> ImportSummary:
    """Import every polygon of the file as a zone, in one transaction (committed here), and
    record each receiving party's change in the audit trail as made by `actor`."""
    path = Path(path)
    with transaction(session):
        plan = plan_zone_import(session, path, options, progress)
        accepted = accepted_zones(session, plan, options.skip_invalid)
        if options.expect_zones is not None and len(accepted) != options.expect_zones:
            raise Conflict(f"Nothing imported from {path.name}: it now gives {len(accepted)} "
                           f"zone(s), the preview showed {options.expect_zones}")
        before = zone_counts(session, plan.receiving)
        replaced = write_zone_import(session, plan, accepted, progress)
        record_zone_changes(session, actor, "replace" if options.replace else "import",
                            plan.receiving, before, source=plan.source)
        warnings = import_warnings(session, plan)
    return ImportSummary(
        source=str(path), crs=plan.crs.explanation, densified=plan.densified,
        features=len(plan.planned), imported=len(accepted), repaired=plan.repaired,
        refused=plan.refused, replaced=replaced, warnings=warnings,
    )


def plan_zone_import(
    session: Session, path: Path, options: ZoneImportOptions,
    progress: ProgressCallback | None = None,
) -> ZoneImportPlan:
    """Read the file and plan every feature; file-level problems raise InvalidInput, a
    feature's own are in its PlannedZone. Reads the database (names), writes nothing."""
    data, crs = read_source(path, options.srid, options.layer)
    mapping = field_mapping(data, options, default_name=path.stem)
    _check_named_on_command_line(session, mapping)
    planned = plan_zones(data.features, crs.crs, mapping, options.densify_segment, progress)
    parties = _party_ids(session, {z.party_name for z in planned if z.party_name})
    categories = _category_ids(session, {c for z in planned for c in z.category_codes or ()})
    planned = refuse_unknown_names(planned, set(parties), set(categories))
    source = f"{path.name}:{data.layer}" if options.layer else path.name
    return ZoneImportPlan(file_name=path.name, source=source, crs=crs, options=options,
                          planned=planned, party_ids=parties, category_ids=categories)


def accepted_zones(session: Session, plan: ZoneImportPlan, skip_invalid: bool
                   ) -> list[PlannedZone]:
    """The zones to import; refuses the whole file unless told to skip refused features
    (and always when no feature can be imported)."""
    return _accepted(plan.file_name, plan.planned, skip_invalid, session)


def write_zone_import(
    session: Session, plan: ZoneImportPlan, zones: list[PlannedZone],
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Delete the receiving parties' zones (with --replace) and insert `zones`; does not
    commit. Returns the zones deleted, by party name."""
    receiving = {z.party_name: plan.party_ids[z.party_name] for z in zones if z.party_name}
    replaced = delete_zones_of(session, receiving) if plan.options.replace else {}
    insert_planned_zones(session, plan, zones, progress)
    return replaced


def insert_planned_zones(session: Session, plan: ZoneImportPlan, zones: list[PlannedZone],
                         progress: ProgressCallback | None = None) -> None:
    """Insert `zones` as the import does (the database triggers make their parts and
    areas); deletes nothing, commits nothing."""
    insert_zones(session, zones, plan.party_ids, plan.category_ids, plan.source,
                 (plan.options.valid_from, plan.options.valid_to), progress)


def import_warnings(session: Session, plan: ZoneImportPlan) -> list[str]:
    return _warnings(session, plan.accepted, plan.crs.crs, set(plan.receiving))


def field_mapping(data: VectorData, options: ZoneImportOptions, default_name: str
                  ) -> FieldMapping:
    """Check the option pairs (a value or a field, not both) and find the fields. A refusal
    names its option as the error's field ("party_field"), for a form to point at."""
    _one_of(options.party, options.party_field, "--party", "--party-field", required=True)
    _one_of(options.categories, options.categories_field, "--categories", "--categories-field")
    _one_of(options.priority, options.priority_field, "--priority", "--priority-field")
    if options.valid_from and options.valid_to and options.valid_from >= options.valid_to:
        raise InvalidInput("--valid-from must come before --valid-to", field="valid_to")

    def find(name: str | None, option: str) -> str | None:
        try:
            return match_field(data.fields, name) if name else None
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field=option) from exc

    return FieldMapping(
        party=options.party.strip() if options.party else None,
        party_field=find(options.party_field, "party_field"),
        categories=parse_category_codes(options.categories or ""),
        categories_field=find(options.categories_field, "categories_field"),
        priority=options.priority or 0,
        priority_field=find(options.priority_field, "priority_field"),
        name_field=find(options.name_field, "name_field"),
        default_name=default_name,
    )


def _one_of(value: object, field_name: str | None, value_option: str, field_option: str,
            required: bool = False) -> None:
    field = value_option.removeprefix("--").replace("-", "_")
    if value is not None and field_name is not None:
        raise InvalidInput(f"Give {value_option} or {field_option}, not both", field=field)
    if required and value is None and field_name is None:
        raise InvalidInput(f"Give {value_option} NAME or {field_option} FIELD", field=field)


def _check_named_on_command_line(session: Session, mapping: FieldMapping) -> None:
    """A party or category typed on the command line must exist: no feature could use it."""
    if mapping.party and not _party_ids(session, {mapping.party}):
        raise InvalidInput(f"Unknown party {mapping.party!r}. {_known_parties_hint(session)}",
                           field="party")
    codes = set(mapping.categories or ())
    unknown = sorted(codes - set(_category_ids(session, codes)))
    if unknown:
        raise InvalidInput(f"Unknown category code(s): {', '.join(unknown)}",
                           field="categories")


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

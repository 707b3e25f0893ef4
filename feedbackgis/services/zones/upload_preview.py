"""preview_zone_import: what importing a zone file would do, before anything is written.

The same reading and planning as import_zones (plan_zone_import), so the preview shows
exactly what the import would import, replace, refuse and repair, and the CRS it assumed;
then the routing what-if over the latest reports. Nothing is committed: the what-if's
planned zones live in a savepoint that is rolled back.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from feedbackgis.services.zones.routing_what_if import RoutingWhatIf, what_if_routing
from feedbackgis.services.zones.zone_audit import zone_counts
from feedbackgis.services.zones.zone_import import (
    ZoneImportOptions,
    accepted_zones,
    import_warnings,
    plan_zone_import,
)
from feedbackgis.services.zones.zone_import_plan import ProgressCallback


@dataclass(frozen=True)
class ZoneImportPreview:
    file_name: str
    crs: str  # the CRS the coordinates are read in, and why (declared, given, assumed)
    densified: str
    features: int
    importable: int
    refused: list[str]  # "feature 3: ..." lines; an import goes ahead only without them
    repaired: list[str]
    receiving: dict[str, int]  # party name -> zones it would get
    replaced: dict[str, int]  # party name -> its zones the import would delete
    replace: bool
    warnings: list[str]
    what_if: RoutingWhatIf


def preview_zone_import(
    session: Session, path: str | Path, options: ZoneImportOptions, *, what_if_reports: int,
    language: str, at: datetime | None = None, progress: ProgressCallback | None = None,
) -> ZoneImportPreview:
    """Plan the import of `path` and route the latest `what_if_reports` reports both ways.

    Raises what import_zones raises for the file as a whole (InvalidInput: unreadable, no
    CRS, unknown field or party; ImportRefused when no feature could be imported); refused
    features are listed, not raised. Writes nothing: the caller's transaction is as before.
    """
    path = Path(path)
    plan = plan_zone_import(session, path, options, progress)
    accepted = accepted_zones(session, plan, skip_invalid=True)
    receiving = plan.receiving
    what_if = what_if_routing(session, plan, accepted, limit=what_if_reports,
                              at=at or datetime.now(UTC), language=language)
    return ZoneImportPreview(
        file_name=path.name, crs=plan.crs.explanation, densified=plan.densified,
        features=len(plan.planned), importable=len(accepted), refused=plan.refused,
        repaired=plan.repaired,
        receiving=dict(sorted(Counter(z.party_name for z in accepted if z.party_name).items())),
        replaced=zone_counts(session, receiving) if options.replace else {},
        replace=options.replace, warnings=import_warnings(session, plan), what_if=what_if,
    )

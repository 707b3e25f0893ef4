"""What each feature of a zone file becomes: its polygon, party, categories, priority, name,
or the reasons it is refused. Pure (no database, no app), so every rule is unit-testable.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from pyproj import CRS

from feedbackgis.errors import InvalidInput
from feedbackgis.geo.readers import SourceFeature
from feedbackgis.geo.zone_geometry import prepare_zone_geometry

ProgressCallback = Callable[[str, int, int], None]  # (stage, done, total)
NAME_MAX_LENGTH = 200  # zone.name
# A category value meaning "every category"; an empty value means the same.
ALL_CATEGORIES = "*"
PROGRESS_STEP = 100


@dataclass(frozen=True)
class FieldMapping:
    """Where each zone attribute comes from: one value for every feature, or a field.

    Field names here are the file's own spelling (see `match_field`).
    """

    party: str | None = None
    party_field: str | None = None
    categories: tuple[str, ...] | None = None  # None: every category
    categories_field: str | None = None
    priority: int = 0
    priority_field: str | None = None
    name_field: str | None = None
    default_name: str = "zone"  # "<default_name> #<feature number>" when a zone has no name


@dataclass(frozen=True)
class PlannedZone:
    number: int
    geometry: shapely.MultiPolygon | None
    name: str
    party_name: str | None
    category_codes: tuple[str, ...] | None  # None: every category
    priority: int
    problems: tuple[str, ...] = ()
    repair: str | None = None

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def validity_window(first_day: date | None, last_day: date | None, time_zone: str
                    ) -> tuple[datetime | None, datetime | None]:
    """valid_from and valid_to of zones valid from `first_day` to `last_day` inclusive, in
    the municipality's calendar days (not UTC's): valid_to is the first instant after."""
    tz = ZoneInfo(time_zone)
    start = datetime.combine(first_day, time.min, tzinfo=tz) if first_day else None
    end = (datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
           if last_day else None)
    return start, end


def match_field(fields: Sequence[str], wanted: str) -> str:
    """The file's spelling of field `wanted`; Shapefiles often upper-case field names."""
    if wanted in fields:
        return wanted
    folded = [f for f in fields if f.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    listing = ", ".join(fields) or "(none)"
    raise InvalidInput(f"The file has no field {wanted!r}; its fields are: {listing}")


def plan_zones(
    features: Sequence[SourceFeature], source_crs: CRS, mapping: FieldMapping,
    densify_segment: float, progress: ProgressCallback | None = None,
) -> list[PlannedZone]:
    """One PlannedZone per feature, in file order."""
    planned = []
    for index, feature in enumerate(features, start=1):
        planned.append(plan_zone(feature, source_crs, mapping, densify_segment))
        if progress and (index % PROGRESS_STEP == 0 or index == len(features)):
            progress("Checking geometries", index, len(features))
    return planned


def plan_zone(
    feature: SourceFeature, source_crs: CRS, mapping: FieldMapping, densify_segment: float
) -> PlannedZone:
    geometry = prepare_zone_geometry(feature.geometry, source_crs, densify_segment)
    problems = [geometry.refusal] if geometry.refusal else []
    party, problem = _party_of(feature.attributes, mapping)
    problems += [problem] if problem else []
    priority, problem = _priority_of(feature.attributes, mapping)
    problems += [problem] if problem else []
    return PlannedZone(
        number=feature.number,
        geometry=geometry.geometry,
        name=_name_of(feature, mapping),
        party_name=party,
        category_codes=_categories_of(feature.attributes, mapping),
        priority=priority,
        problems=tuple(problems),
        repair=geometry.repair,
    )


def refuse_unknown_names(
    planned: Iterable[PlannedZone], known_parties: set[str], known_categories: set[str]
) -> list[PlannedZone]:
    """Add a problem to every zone naming a party or category the database lacks."""
    result = []
    for zone in planned:
        problems = list(zone.problems)
        if zone.party_name is not None and zone.party_name not in known_parties:
            problems.append(f"unknown party {zone.party_name!r}")
        problems += [
            f"unknown category {code!r}" for code in zone.category_codes or ()
            if code not in known_categories
        ]
        result.append(dataclasses.replace(zone, problems=tuple(problems)))
    return result


def describe_by_feature(notes: Iterable[tuple[int, str]]) -> list[str]:
    """'feature 4: ...' lines, features with the same note on one line, in file order."""
    grouped: dict[str, list[int]] = {}
    for number, note in notes:
        grouped.setdefault(note, []).append(number)
    lines = []
    for note, numbers in grouped.items():
        label = "feature" if len(numbers) == 1 else "features"
        lines.append(f"{label} {', '.join(map(str, numbers))}: {note}")
    return lines


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _party_of(attributes: dict[str, Any], mapping: FieldMapping) -> tuple[str | None, str | None]:
    if mapping.party_field is None:
        return mapping.party, None
    name = _text(attributes.get(mapping.party_field))
    if not name:
        return None, f"no party in field {mapping.party_field!r}"
    return name, None


def _categories_of(attributes: dict[str, Any], mapping: FieldMapping) -> tuple[str, ...] | None:
    if mapping.categories_field is None:
        return mapping.categories
    return parse_category_codes(_text(attributes.get(mapping.categories_field)))


def parse_category_codes(text: str) -> tuple[str, ...] | None:
    """'lights, roads' -> ('lights', 'roads'); '' or '*' -> None (every category)."""
    codes = tuple(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    if not codes or ALL_CATEGORIES in codes:
        return None
    return codes


def _priority_of(attributes: dict[str, Any], mapping: FieldMapping) -> tuple[int, str | None]:
    if mapping.priority_field is None:
        return mapping.priority, None
    value = attributes.get(mapping.priority_field)
    if _text(value) == "":
        return mapping.priority, None
    if isinstance(value, bool):
        return 0, f"priority {value!r} is not a whole number"
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    try:
        return int(_text(value)), None
    except ValueError:
        return 0, f"priority {value!r} is not a whole number"


def _name_of(feature: SourceFeature, mapping: FieldMapping) -> str:
    name = _text(feature.attributes.get(mapping.name_field)) if mapping.name_field else ""
    name = name or f"{mapping.default_name} #{feature.number}"
    return name[:NAME_MAX_LENGTH]

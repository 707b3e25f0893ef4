"""The file side of imports: read a vector file and its CRS, and refuse it as a whole."""
from __future__ import annotations

from pathlib import Path

from pyproj import CRS

from feedbackgis.errors import InvalidInput
from feedbackgis.geo.readers import ResolvedCRS, UnreadableFile, VectorData, read_vector_file
from feedbackgis.geo.readers import resolve_crs as resolve_file_crs
from feedbackgis.geo.zone_geometry import degrees_out_of_range


class ImportRefused(InvalidInput):
    """Features were refused, so nothing was imported; `problems` lists every one."""

    def __init__(self, source: str, problems: list[str], hints: list[str] | None = None,
                 *, others_importable: bool = False):
        lines = [f"Nothing imported from {source}: {len(problems)} problem(s)."]
        lines += [f"  {p}" for p in problems] + list(hints or [])
        super().__init__("\n".join(lines))
        self.problems = problems
        # Whether skipping the refused features would leave something to import.
        self.others_importable = others_importable


def read_source(path: Path, srid: str | None, layer: str | None) -> tuple[VectorData, ResolvedCRS]:
    """The file's features and the CRS to read them in; user mistakes raise InvalidInput,
    on the field "file" (the file itself) or "srid" (its coordinate reference system)."""
    try:
        data = read_vector_file(path, layer)
    except UnreadableFile as exc:
        raise InvalidInput(str(exc), field="file") from exc
    try:
        crs = resolve_file_crs(data, srid)
    except UnreadableFile as exc:
        raise InvalidInput(str(exc), field="srid") from exc
    if not data.features:
        raise InvalidInput(f"{path} holds no features", field="file")
    present = [f.geometry for f in data.features if f.geometry is not None]
    wrong_unit = degrees_out_of_range(present, crs.crs)
    if wrong_unit:
        raise InvalidInput(
            f"{path}: {wrong_unit} ({crs.explanation}). Give the file's CRS with --srid, "
            "e.g. --srid 3067 for ETRS-TM35FIN.", field="srid",
        )
    return data, crs


def densify_note(crs: CRS, segment: float) -> str:
    if crs.is_projected and segment > 0:
        unit = crs.axis_info[0].unit_name if crs.axis_info else "units"
        return f"edges densified to {segment:g} {unit} segments in the source CRS"
    if crs.is_projected:
        return "edges not densified (ZONE_DENSIFY_SEGMENT is 0)"
    return "edges not densified: a geographic CRS's edges are already straight in lon/lat"

"""What the zone commands print: summaries, the zone table, progress bars on stderr."""
from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

import click

from feedbackgis.services.zones.listing import ZoneListing
from feedbackgis.services.zones.routing_what_if import RoutingWhatIf
from feedbackgis.services.zones.service_area_import import ServiceAreaSummary
from feedbackgis.services.zones.upload_preview import ZoneImportPreview
from feedbackgis.services.zones.zone_import import ImportSummary

# Below this many features an import is quick enough that a bar is only noise.
PROGRESS_THRESHOLD = 500


class ProgressBars:
    """A progress callback for the services: one click progress bar per stage, on stderr
    so that the summary on stdout stays clean for scripts."""

    def __init__(self, threshold: int = PROGRESS_THRESHOLD) -> None:
        self.threshold = threshold
        self.stage: str | None = None
        self.done = 0
        self.bar: Any = None
        self.stack = ExitStack()

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stack.close()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total <= self.threshold:
            return
        if stage != self.stage:
            self.stack.close()
            self.bar = self.stack.enter_context(click.progressbar(
                length=total, label=stage, file=sys.stderr
            ))
            self.stage, self.done = stage, 0
        self.bar.update(done - self.done)
        self.done = done


def print_import_summary(summary: ImportSummary, skipped: bool) -> None:
    click.echo(f"Read {summary.features} feature(s) from {summary.source}.")
    click.echo(f"CRS: {summary.crs}; {summary.densified}.")
    for party, count in summary.replaced.items():
        click.echo(f"Replaced: deleted {count} earlier zone(s) of {party!r}.")
    click.echo(f"Imported {summary.imported} zone(s).")
    _echo_list("Repaired, then imported:", summary.repaired)
    if summary.refused:
        note = " (skipped with --skip-invalid)" if skipped else ""
        _echo_list(f"Refused{note}:", summary.refused)
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}")


def print_service_area_summary(summary: ServiceAreaSummary) -> None:
    click.echo(f"Read {summary.features} feature(s) from {summary.source}.")
    click.echo(f"CRS: {summary.crs}; {summary.densified}.")
    click.echo(
        f"Service area {summary.name!r}: {summary.polygons} polygon(s), "
        f"{summary.area_km2:.2f} km²; replaced {summary.replaced} earlier service area(s)."
    )
    _echo_list("Repaired, then imported:", summary.repaired)
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}")


def _echo_list(title: str, lines: list[str]) -> None:
    if lines:
        click.echo(title)
        for line in lines:
            click.echo(f"  {line}")


def print_zone_table(zones: list[ZoneListing], tz: ZoneInfo) -> None:
    if not zones:
        click.echo("No zones.")
        return
    header = ("id", "party", "name", "priority", "categories", "validity", "km²")
    rows = [
        (str(z.id), z.party, z.name, str(z.priority),
         ",".join(z.categories) if z.categories is not None else "all",
         validity_text(z.valid_from, z.valid_to, tz),
         f"{z.area_km2:.3f}" if z.area_km2 is not None else "")
        for z in zones
    ]
    _echo_table(header, rows, right=(0, 3, 6))


def validity_text(valid_from: datetime | None, valid_to: datetime | None, tz: ZoneInfo) -> str:
    """Local calendar days, both ends inclusive: '2025-01-01..2025-12-31', 'always'."""
    if valid_from is None and valid_to is None:
        return "always"
    start = valid_from.astimezone(tz).date().isoformat() if valid_from else ""
    # valid_to is the first instant the zone no longer routes: show the day before it.
    last = (valid_to - timedelta(microseconds=1)).astimezone(tz).date().isoformat() \
        if valid_to else ""
    return f"{start}..{last}"


def print_preview(preview: ZoneImportPreview) -> None:
    """What `zones import` would do with the same options, and where reports would go."""
    click.echo(f"Read {preview.features} feature(s) from {preview.file_name}.")
    click.echo(f"CRS: {preview.crs}; {preview.densified}.")
    for party, count in preview.replaced.items():
        click.echo(f"Would replace: delete {count} zone(s) of {party!r}.")
    for party, count in preview.receiving.items():
        click.echo(f"Would import {count} zone(s) for {party!r}.")
    _echo_list("Would repair, then import:", preview.repaired)
    _echo_list("Refused (the import needs --skip-invalid to go ahead without them):",
               preview.refused)
    for warning in preview.warnings:
        click.echo(f"Warning: {warning}")
    print_what_if(preview.what_if)


def print_what_if(what_if: RoutingWhatIf) -> None:
    click.echo()
    click.echo(f"Routing what-if: of the last {what_if.reports} report(s) (at most "
               f"{what_if.limit}), {what_if.changed} would now go to another party.")
    if not what_if.changes:
        return
    _echo_table(("from", "to", "reports"),
                [(_party(c.party_before), _party(c.party_after), str(c.reports))
                 for c in what_if.counts], right=(2,))
    click.echo()
    _echo_table(("report", "category", "now", "after the import"),
                [(str(c.report_id), c.category_code, _party(c.party_before),
                  _party(c.party_after)) for c in what_if.changes], right=(0,))


def _party(name: str | None) -> str:
    return name if name is not None else "(triage)"


def _echo_table(header: tuple[str, ...], rows: list[tuple[str, ...]],
                right: tuple[int, ...] = ()) -> None:
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = [cell.rjust(w) if i in right else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        click.echo("  ".join(cells).rstrip())

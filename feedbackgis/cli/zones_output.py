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
from feedbackgis.services.zones.service_area_import import ServiceAreaSummary
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
    rows = [header] + [
        (str(z.id), z.party, z.name, str(z.priority),
         ",".join(z.categories) if z.categories is not None else "all",
         validity_text(z.valid_from, z.valid_to, tz),
         f"{z.area_km2:.3f}" if z.area_km2 is not None else "")
        for z in zones
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        cells = [cell.rjust(w) if i in (0, 3, 6) else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        click.echo("  ".join(cells).rstrip())


def validity_text(valid_from: datetime | None, valid_to: datetime | None, tz: ZoneInfo) -> str:
    """Local calendar days, both ends inclusive: '2025-01-01..2025-12-31', 'always'."""
    if valid_from is None and valid_to is None:
        return "always"
    start = valid_from.astimezone(tz).date().isoformat() if valid_from else ""
    # valid_to is the first instant the zone no longer routes: show the day before it.
    last = (valid_to - timedelta(microseconds=1)).astimezone(tz).date().isoformat() \
        if valid_to else ""
    return f"{start}..{last}"

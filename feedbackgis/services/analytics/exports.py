"""The reports of the figures' filters as a file: CSV, XLSX, GeoJSON or GeoPackage.

One row per report, the headers and the words (category, status, device) in the language
the file was asked in. Times are the municipality's: CSV and GeoJSON write them as ISO 8601
with the offset, XLSX as spreadsheet date-times (local, without a zone: spreadsheets have
none), GeoPackage as its DateTime in UTC (as its standard says). Coordinates are in EPSG:4326
(longitude, latitude) or EPSG:3067 (east, north), as chosen. A report without a point is
in the geographic files too, with no geometry, so every format holds the same reports.

The reporters' name, email and phone are columns only when the file was asked with them
(request_file checked the role); each report whose contact is in the file is logged in
contact_access (context "export") when the file is done.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Row, insert
from sqlalchemy.orm import Session

from feedbackgis.domain.spreadsheet_cells import safe_cell
from feedbackgis.i18n import N_, STATUS_NAMES, catalog
from feedbackgis.models import ContactAccess, FileKind, PreparedFile
from feedbackgis.repositories.exports import (
    BATCH_SIZE,
    count_reports,
    export_batches,
    export_query,
)
from feedbackgis.services.analytics.prepared_files import FileParams, Maker, Progress

# (the row's key, the header's msgid), in the files' order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", N_("Report number")),
    ("created_at", N_("Created")),
    ("category", N_("Category")),
    ("status", N_("Status")),
    ("party", N_("Party")),
    ("zone", N_("Zone")),
    ("address", N_("Place")),
    ("description", N_("Description")),
    ("first_response_at", N_("First response")),
    ("fixed_at", N_("Fixed")),
    ("due_at", N_("Due date")),
    ("days_to_response", N_("Working days to the first response")),
    ("days_to_fixed", N_("Working days to fixed")),
    ("reopen_count", N_("Times reopened")),
    ("submitted_from", N_("Sent from")),
    ("language", N_("Language")),
)
COORDINATES = {4326: (("x", N_("Longitude")), ("y", N_("Latitude"))),
               3067: (("x", N_("East coordinate (EPSG:3067)")),
                      ("y", N_("North coordinate (EPSG:3067)")))}
CONTACT_COLUMNS = (("contact_name", N_("Name")), ("contact_email", N_("Email")),
                   ("contact_phone", N_("Phone")))
DEVICES = {"phone": N_("Phone"), "computer": N_("Computer"), "system": N_("Another system")}
TIMES = ("created_at", "first_response_at", "fixed_at", "due_at")
INTEGERS = ("id", "days_to_response", "days_to_fixed", "reopen_count")
CONTACT_CONTEXT = "export"
# The geographic files are read and written this many records at a time: GDAL's GeoJSON
# driver rewrites the whole file on each append, so few appends keep a large export linear
# enough; and each write call opens the file again (a few tens of MB of rows in memory).
GEO_WRITE_ROWS = 20_000
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportRun:
    """One export being written: the columns, and the records batch by batch."""

    def __init__(self, session: Session, prepared: PreparedFile, progress: Progress) -> None:
        self.session, self.prepared, self.progress = session, prepared, progress
        self.params = FileParams.of(prepared)
        self.crs = int(self.params.options.get("crs", 4326))
        self.zone: tzinfo = ZoneInfo(self.params.time_zone)
        self.texts = catalog(self.params.language)
        self.with_contact = prepared.with_contact
        self.contacts_shown: list[int] = []

    def columns(self, *, with_coordinates: bool = True) -> list[tuple[str, str]]:
        chosen = list(COLUMNS)
        if with_coordinates:
            chosen += COORDINATES[self.crs]
        if self.with_contact:
            chosen += CONTACT_COLUMNS
        return [(key, self.texts.ugettext(msgid)) for key, msgid in chosen]

    def batches(self) -> Iterator[list[dict[str, Any]]]:
        """The records, localised, in order of creation; progress after each batch."""
        for rows in self.row_batches():
            yield [self._record(row) for row in rows]

    def row_batches(self, batch_size: int = BATCH_SIZE) -> Iterator[Sequence[Row[Any]]]:
        """The rows as read (not localised), in order of creation; progress after each
        batch of `batch_size`."""
        conditions = self.params.conditions()
        total = count_reports(self.session, conditions)
        self.progress(0, total)
        query = export_query(conditions, language=self.params.language,
                             time_zone=self.params.time_zone, srid=self.crs,
                             with_contact=self.with_contact)
        done = 0
        for rows in export_batches(self.session, query, batch_size):
            yield rows
            done += len(rows)
            del rows  # a batch is not held while the next one is read
            self.progress(done, max(total, done))

    def word(self, key: str, value: Any) -> str | None:  # noqa: ANN401 - a status or device
        """A status's or a device's name (key status or submitted_from) in the language."""
        if key == "status":
            return self.texts.ugettext(STATUS_NAMES[str(value)])
        return self.texts.ugettext(DEVICES[value]) if value else None

    def note_contacts(self, by_column: dict[str, Sequence[Any]]) -> None:
        """Keep, to log, the reports of a batch (its columns) whose contact is in it."""
        if self.with_contact:
            contacts = zip(by_column["id"], *(by_column[key] for key, _ in CONTACT_COLUMNS),
                           strict=True)
            self.contacts_shown += [report_id for report_id, *contact in contacts
                                    if any(contact)]

    def _record(self, row: Any) -> dict[str, Any]:
        record = dict(row._mapping)
        for key in TIMES:
            if record[key] is not None:
                record[key] = record[key].astimezone(self.zone)
        record["status"] = self.word("status", record["status"])
        record["submitted_from"] = self.word("submitted_from", record["submitted_from"])
        if self.with_contact and any(record[key] for key, _ in CONTACT_COLUMNS):
            self.contacts_shown.append(record["id"])
        return record

    def log_contacts(self) -> None:
        """Who was given whose contact: added now, committed with the file's DONE."""
        if self.contacts_shown:
            self.session.execute(insert(ContactAccess), [
                {"report_id": report_id, "staff_user_id": self.prepared.requested_by,
                 "context": CONTACT_CONTEXT} for report_id in self.contacts_shown])


def write_csv(session: Session, prepared: PreparedFile, path: Path, progress: Progress) -> None:
    run = ExportRun(session, prepared, progress)
    columns = run.columns()
    # UTF-8 with a byte order mark: spreadsheets then read the letters right.
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([header for _, header in columns])
        for records in run.batches():
            writer.writerows([_csv_cell(record[key]) for key, _ in columns]
                             for record in records)
    run.log_contacts()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, str):
        return safe_cell(value)
    return value


def write_xlsx(session: Session, prepared: PreparedFile, path: Path,
               progress: Progress) -> None:
    from openpyxl import Workbook

    run = ExportRun(session, prepared, progress)
    columns = run.columns()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(run.texts.ugettext(N_("Reports")))
    sheet.append([header for _, header in columns])
    for records in run.batches():
        for record in records:
            sheet.append([_xlsx_cell(record[key]) for key, _ in columns])
    book.save(path)
    run.log_contacts()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        # Local wall-clock time; openpyxl refuses aware ones (spreadsheets have no zones).
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, str):
        # Control characters cannot be in the file's XML (openpyxl would refuse the row).
        return safe_cell(_CONTROL_CHARACTERS.sub("", value))
    return value


def _geo_writer(driver: str) -> Maker:
    def write(session: Session, prepared: PreparedFile, path: Path,
              progress: Progress) -> None:
        run = ExportRun(session, prepared, progress)
        columns = run.columns(with_coordinates=False)
        written = False
        # Read and written GEO_WRITE_ROWS at a time, column by column (numpy arrays).
        for rows in run.row_batches(GEO_WRITE_ROWS):
            _write_geo(path, driver, run, columns, rows, append=written)
            written = True
            del rows
        if not written:  # no report at all: an empty layer, still with fields
            _write_geo(path, driver, run, columns, [], append=False)
        run.log_contacts()

    return write


def _write_geo(path: Path, driver: str, run: ExportRun, columns: Sequence[tuple[str, str]],
               rows: Sequence[Row[Any]], *, append: bool) -> None:
    import pyogrio.raw

    held = _by_column(rows, [key for key, _ in columns])
    run.note_contacts(held)
    fields, masks = zip(*(_geo_field(run, key, held[key], driver) for key, _ in columns),
                        strict=True)
    times = {header: np.full(len(rows), 100, dtype=np.int32)  # GDAL's flag of UTC
             for key, header in columns if key in TIMES}
    pyogrio.raw.write(
        str(path), _points(held["x"], held["y"]), list(fields),
        [header for _, header in columns], field_mask=list(masks), layer="reports",
        driver=driver, geometry_type="Point", crs=f"EPSG:{run.crs}", encoding="UTF-8",
        append=append, gdal_tz_offsets=times if driver == "GPKG" else None)


def _by_column(rows: Sequence[Row[Any]], keys: Sequence[str]) -> dict[str, Sequence[Any]]:
    if not rows:
        return {key: () for key in (*keys, "x", "y")}
    return dict(zip(rows[0]._fields, zip(*rows, strict=True), strict=True))


def _points(xs: Sequence[float | None], ys: Sequence[float | None]) -> np.ndarray:
    """Each report's point as WKB, None for a report without one. Packed by numpy, as
    shapely.to_wkb(shapely.points(x, y)) packs them, but without a geometry object per
    point (tens of thousands of them make Python's garbage collector sweep the batch's
    rows again and again: a second of a 100,000 reports' file)."""
    x, y = np.array(xs, dtype=float), np.array(ys, dtype=float)  # None: NaN
    present = ~np.isnan(x)
    packed = np.empty(int(present.sum()), dtype=_WKB_POINT)
    packed["order"], packed["type"] = 1, 1  # little-endian; a Point
    packed["x"], packed["y"] = x[present], y[present]
    blob, size = packed.tobytes(), _WKB_POINT.itemsize
    wkb = np.full(len(x), None, dtype=object)
    wkb[present] = [blob[at:at + size] for at in range(0, len(blob), size)]
    return wkb


def _geo_field(run: ExportRun, key: str, values: Sequence[Any],
               driver: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A column as the array pyogrio writes, and its mask of missing values (or None)."""
    count = len(values)
    missing = np.fromiter((value is None for value in values), dtype=bool, count=count)
    if key in INTEGERS:
        field = np.fromiter((value or 0 for value in values), dtype=np.int64, count=count)
    elif key in TIMES and driver == "GPKG":  # in UTC, as milliseconds since 1970
        field = np.fromiter((_NAT if value is None else (value - _EPOCH) // _MILLISECOND
                             for value in values), dtype=np.int64, count=count
                            ).view("datetime64[ms]")
    elif key in TIMES:
        field = np.array([None if value is None else
                          value.astimezone(run.zone).isoformat("T", "seconds")
                          for value in values], dtype=object)
    elif key in ("status", "submitted_from"):
        words = {value: run.word(key, value) for value in set(values)}
        field = np.array([words[value] for value in values], dtype=object)
    else:
        field = np.array(values, dtype=object)
    return field, missing if missing.any() else None


# A 2D point in (ISO) well-known binary: byte order, geometry type, x, y; 21 bytes.
_WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_NAT = np.iinfo(np.int64).min  # numpy's NaT


MAKERS: dict[FileKind, Maker] = {
    FileKind.CSV: write_csv,
    FileKind.XLSX: write_xlsx,
    FileKind.GEOJSON: _geo_writer("GeoJSON"),
    FileKind.GPKG: _geo_writer("GPKG"),
}

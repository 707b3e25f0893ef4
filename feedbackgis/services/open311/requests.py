"""GeoReport v2 service requests: public reports, in the spec's fields.

Open statuses (domain/statuses.py) are `open`, every other `closed`. What is published is
what the public report page shows: the public text, the responsible party, the latest
public reply (status_notes), the due date (expected_datetime), the first photo not hidden.

extensions=true adds 6Aika's (CitySDK's) extended_attributes: detailed_status (our own status
code: received, in_progress ...), the public `log` (public status changes and public replies:
time, status, note; never an internal event nor who acted) and `media_urls` (every photo not
hidden). The log and the photos of a whole page come in one more query, not one a request.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.errors import NotFound
from feedbackgis.repositories.open311 import (
    PublicEvent,
    RequestFilter,
    public_request,
    public_requests,
    request_extras,
)
from feedbackgis.repositories.open311_documents import DocumentSettings

# The spec's defaults: a date range of at most 90 days, at most 1,000 requests an answer
# (also the largest page_size).
MAX_DAYS = 90
MAX_REQUESTS = 1000
CLOSED_STATUSES = frozenset(ReportStatus) - OPEN_STATUSES
SPEC_STATUSES = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}

# GET requests' answer: the spec's list as JSON text (built by PostgreSQL), or as documents
# when extensions=true added to them.
Requests = str | list[dict[str, Any]]


@dataclass(frozen=True)
class RequestQuery:
    """GET requests' filters: `ids` alone, or the others; None is no condition."""

    language: str = "fi"
    extensions: bool = False
    ids: list[int] | None = None
    service_code: str | None = None
    statuses: frozenset[str] | None = None  # of "open", "closed"
    start: datetime | None = None
    end: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    circle: tuple[float, float, float] | None = None  # lon, lat, radius in metres
    page: int = 1
    page_size: int = MAX_REQUESTS


def find_requests(session: Session, query: RequestQuery,
                  settings: DocumentSettings) -> Requests:
    """The page of public reports the query asks for, newest first, at most page_size: the
    JSON text as PostgreSQL built it, or (extensions=true) the documents with their extras."""
    page = public_requests(session, _filter(query), settings, limit=query.page_size,
                           offset=(query.page - 1) * query.page_size)
    if not query.extensions:
        return page.json
    return with_extras(session, json.loads(page.json), settings)


def _filter(query: RequestQuery) -> RequestFilter:
    statuses = None
    if query.statuses is not None and query.statuses != set(SPEC_STATUSES):
        statuses = {str(s) for name in query.statuses for s in SPEC_STATUSES[name]}
    return RequestFilter(ids=query.ids, category_code=query.service_code, statuses=statuses,
                         created_from=query.start,
                         created_to=_earliest(query.end, query.updated_before),
                         updated_from=query.updated_after, updated_to=query.updated_before,
                         bbox=query.bbox, circle=query.circle)


def _earliest(*moments: datetime | None) -> datetime | None:
    """The earliest of the bounds given. A report is updated at or after its creation
    (updated_at starts at the insert's now() and only moves on), so updated_before bounds
    the creation too. Said outright, PostgreSQL walks ix_report_created_at newest first from
    there: the planner takes the two columns as unrelated and otherwise walks from today
    through every newer report (150 ms at 300,000 reports for updated_before ten years ago,
    4 ms with the bound)."""
    given = [moment for moment in moments if moment is not None]
    return min(given) if given else None


def get_request(session: Session, report_id: int, settings: DocumentSettings, *,
                extensions: bool = False) -> Requests:
    """The request `report_id` as the spec's list of one (JSON text, or documents with
    extras when extensions=true)."""
    document = public_request(session, report_id, settings)
    if document is None:
        raise NotFound(f"No service request with id {report_id}.")
    if not extensions:
        return f"[{document}]"
    return with_extras(session, [json.loads(document)], settings)


def with_extras(session: Session, documents: list[dict[str, Any]],
                settings: DocumentSettings) -> list[dict[str, Any]]:
    """The documents with 6Aika's extended_attributes: detailed_status, the public log and
    every photo not hidden (one query for the whole page)."""
    extras = request_extras(session, [int(d["service_request_id"]) for d in documents])
    for document in documents:
        report_id = int(document["service_request_id"])
        found = extras[report_id]
        document["extended_attributes"] = {
            "detailed_status": found.status,
            "log": public_log(found.events),
            "media_urls": [settings.photo_prefix + str(photo_id) + settings.photo_suffix
                           for photo_id in found.photo_ids],
        }
    return documents


def public_log(events: list[PublicEvent]) -> list[dict[str, Any]]:
    """6Aika's request history: time, the status at that time (a reply changes none: the
    status it was given in) and the public note; never who acted."""
    entries, status = [], ""
    for event in events:
        status = event.to_status or status
        entries.append({"time": event.at, "status": status, "note": event.note or ""})
    return entries

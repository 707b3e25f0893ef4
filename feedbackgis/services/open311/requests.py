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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.errors import NotFound
from feedbackgis.repositories.open311 import (
    PublicEvent,
    RequestExtras,
    RequestFilter,
    RequestRow,
    public_request,
    public_requests,
    request_extras,
)

# The spec's defaults: a date range of at most 90 days, at most 1,000 requests an answer
# (also the largest page_size).
MAX_DAYS = 90
MAX_REQUESTS = 1000
CLOSED_STATUSES = frozenset(ReportStatus) - OPEN_STATUSES
SPEC_STATUSES = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}

PhotoUrl = Callable[[int], str]


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
                  photo_url: PhotoUrl) -> list[dict[str, Any]]:
    """The page of public reports the query asks for, newest first, at most page_size."""
    rows = public_requests(session, _filter(query), limit=query.page_size,
                           offset=(query.page - 1) * query.page_size)
    extras = request_extras(session, [row.id for row in rows]) if query.extensions else {}
    return [request_view(row, query.language, photo_url, extras.get(row.id)) for row in rows]


def _filter(query: RequestQuery) -> RequestFilter:
    statuses = None
    if query.statuses is not None and query.statuses != set(SPEC_STATUSES):
        statuses = {str(s) for name in query.statuses for s in SPEC_STATUSES[name]}
    return RequestFilter(ids=query.ids, category_code=query.service_code, statuses=statuses,
                         created_from=query.start, created_to=query.end,
                         updated_from=query.updated_after, updated_to=query.updated_before,
                         bbox=query.bbox, circle=query.circle)


def get_request(session: Session, report_id: int, language: str, photo_url: PhotoUrl, *,
                extensions: bool = False) -> dict[str, Any]:
    row = public_request(session, report_id)
    if row is None:
        raise NotFound(f"No service request with id {report_id}.")
    extras = request_extras(session, [report_id])[report_id] if extensions else None
    return request_view(row, language, photo_url, extras)


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def request_view(row: RequestRow, language: str, photo_url: PhotoUrl,
                 extras: RequestExtras | None = None) -> dict[str, Any]:
    """The spec's fields, in its order; "" for what we never have. With `extras` (asked by
    extensions=true) also the 6Aika/CitySDK extended_attributes."""
    view = {
        "service_request_id": str(row.id),
        "status": open311_status(row.status),
        "status_notes": row.latest_reply or "",
        "service_name": row.category_names.get(language) or row.category_names["fi"],
        "service_code": row.category_code,
        "description": row.text,
        "agency_responsible": row.party_name or "",
        "service_notice": "",
        "requested_datetime": row.created_at,
        "updated_datetime": row.updated_at,
        "expected_datetime": row.due_at,
        "address": row.address or "",
        "address_id": "",
        "zipcode": "",
        "lat": row.lat,
        "long": row.lon,
        "media_url": photo_url(row.photo_id) if row.photo_id is not None else "",
    }
    if extras is not None:
        view["extended_attributes"] = {
            "detailed_status": row.status,
            "log": public_log(extras.events),
            "media_urls": [photo_url(photo_id) for photo_id in extras.photo_ids],
        }
    return view


def public_log(events: list[PublicEvent]) -> list[dict[str, Any]]:
    """6Aika's request history: time, the status at that time (a reply changes none: the
    status it was given in) and the public note; never who acted."""
    entries, status = [], ""
    for event in events:
        status = event.to_status or status
        entries.append({"time": event.at, "status": status, "note": event.note or ""})
    return entries

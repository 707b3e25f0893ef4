"""GeoReport v2 service requests: public reports, in the spec's fields.

Open statuses (domain/statuses.py) are `open`, every other `closed`. What is published is
what the public report page shows: the public text, the responsible party, the latest
public reply (status_notes), the due date (expected_datetime), the first photo not hidden.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.errors import NotFound
from feedbackgis.repositories.open311 import RequestRow, public_requests

# The spec's defaults: a date range of at most 90 days, at most 1,000 requests an answer.
MAX_DAYS = 90
MAX_REQUESTS = 1000
CLOSED_STATUSES = frozenset(ReportStatus) - OPEN_STATUSES

PhotoUrl = Callable[[int], str]


@dataclass(frozen=True)
class RequestQuery:
    """GET requests' filters: `ids` alone, or the others (start/end always both set)."""

    language: str = "fi"
    ids: list[int] | None = None
    service_code: str | None = None
    status: str | None = None  # "open" or "closed"
    start: datetime | None = None
    end: datetime | None = None


def find_requests(session: Session, query: RequestQuery,
                  photo_url: PhotoUrl) -> list[dict[str, Any]]:
    """The public reports the query asks for, newest first, at most MAX_REQUESTS."""
    statuses = None
    if query.status is not None:
        statuses = {str(s) for s in (OPEN_STATUSES if query.status == "open"
                                     else CLOSED_STATUSES)}
    rows = public_requests(session, ids=query.ids, category_code=query.service_code,
                           statuses=statuses, created_from=query.start,
                           created_to=query.end, limit=MAX_REQUESTS)
    return [request_view(row, query.language, photo_url) for row in rows]


def get_request(session: Session, report_id: int, language: str,
                photo_url: PhotoUrl) -> dict[str, Any]:
    rows = public_requests(session, ids=[report_id], limit=1)
    if not rows:
        raise NotFound(f"No service request with id {report_id}.")
    return request_view(rows[0], language, photo_url)


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def request_view(row: RequestRow, language: str, photo_url: PhotoUrl) -> dict[str, Any]:
    """The spec's fields, in its order; "" for what we never have."""
    return {
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

"""mySociety's GET servicerequestupdates: the public updates of public requests, in the
spec's fields (update_id, service_request_id, status, updated_datetime, description,
media_url), oldest first, at most MAX_UPDATES an answer.

The update_id is our event's id; the status the mySociety word of the request's status after
it (domain/open311_statuses.py); the description the event's public text. media_url is
always empty: photos that came with updates are not published (a request's public photo is
its own media_url in GET requests).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from feedbackgis.domain.open311_statuses import word_of
from feedbackgis.repositories.open311_updates import UpdateRow, public_updates

MAX_UPDATES = 1000


@dataclass(frozen=True)
class UpdatesQuery:
    """`report_ids` (the requests asked for) and/or a window; None is no limit that way."""

    report_ids: list[int] | None = None
    start: datetime | None = None
    end: datetime | None = None


def find_updates(session: Session, query: UpdatesQuery) -> list[dict[str, Any]]:
    rows = public_updates(session, report_ids=query.report_ids, start=query.start,
                          end=query.end, limit=MAX_UPDATES)
    return [update_view(row) for row in rows]


def update_view(row: UpdateRow) -> dict[str, Any]:
    return {
        "update_id": str(row.event_id),
        "service_request_id": str(row.report_id),
        "status": word_of(row.status),
        "updated_datetime": row.created_at,
        "description": row.note or "",
        "media_url": "",
    }

"""A party's open work orders: counted, and one page of them, nearest first or by due date.

Both read the party's open reports through ix_report_inbox (party, status): a contractor
holds hundreds or a few thousand, so the distance to the phone is computed for each of
them and sorted (on the spheroid, exact), rather than asked of the GiST index of all
reports, which knows nothing of parties. The page's rows are read with what the list shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.geo.crs import WGS84
from feedbackgis.models import Report


@dataclass(frozen=True)
class WorkOrderRow:
    id: int
    category_id: int
    status: ReportStatus
    address: str | None
    created_at: datetime
    due_at: datetime | None
    lon: float | None
    lat: float | None
    distance_m: float | None  # to the phone, when its position is known


def _of_party(party_id: int) -> list[ColumnElement[bool]]:
    return [Report.assigned_party_id == party_id, Report.status.in_(sorted(OPEN_STATUSES))]


def count_open_work_orders(session: Session, party_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Report).where(*_of_party(party_id)))


def open_work_orders(session: Session, party_id: int, *, near: tuple[float, float] | None,
                     limit: int, offset: int = 0) -> list[WorkOrderRow]:
    """The party's open reports, nearest to `near` (lon, lat) first, those without a point
    last; without `near`, the earliest due first (then the oldest)."""
    if near is not None:
        here = func.ST_SetSRID(func.ST_MakePoint(near[0], near[1]), WGS84)
        distance = func.ST_Distance(func.Geography(Report.location), func.Geography(here))
        order = [distance.asc().nulls_last(), Report.id]
    else:
        distance = None
        order = [Report.due_at.asc().nulls_last(), Report.created_at, Report.id]
    columns = [Report.id, Report.category_id, Report.status, Report.address,
               Report.created_at, Report.due_at, func.ST_X(Report.location).label("lon"),
               func.ST_Y(Report.location).label("lat")]
    if distance is not None:
        columns.append(distance.label("distance_m"))
    rows = session.execute(select(*columns).where(*_of_party(party_id))
                           .order_by(*order).limit(limit).offset(offset))
    return [WorkOrderRow(r.id, r.category_id, r.status, r.address, r.created_at, r.due_at,
                         r.lon, r.lat, r.distance_m if distance is not None else None)
            for r in rows]

"""Staff queries: the reports a role lets them see (a SQL condition for any query), the
open reports near one, the people of a party."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, select, true
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Action, Actor, may
from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.geo.crs import WGS84
from feedbackgis.models import Report, StaffUser
from feedbackgis.repositories.nearby import search_box_degrees


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Roles unscoped by party see every report; a party's staff, their party's reports."""
    if may(actor, Action.VIEW_REPORT):
        return true()
    if not actor.active or actor.party_id is None:
        return false()
    return Report.assigned_party_id == actor.party_id


def nearby_reports(session: Session, report: Report, actor: Actor, *, radius_m: float,
                   limit: int) -> list[NearbyReport]:
    """Open reports (any category) within radius_m of the report's point that actor may
    see, nearest first: the duplicates a handler should know of."""
    if report.location is None:
        return []
    lon, lat = session.execute(select(func.ST_X(report.location),
                                      func.ST_Y(report.location))).one()
    dx, dy = search_box_degrees(lat, radius_m)
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), WGS84)
    distance = func.ST_Distance(func.Geography(Report.location), func.Geography(point))
    rows = session.execute(
        select(Report.id, Report.category_id, Report.status, Report.created_at,
               distance.label("distance_m"))
        .where(Report.id != report.id, Report.status.in_(sorted(OPEN_STATUSES)),
               visible_to(actor),
               Report.location.op("&&")(func.ST_Expand(point, dx, dy)),
               func.ST_DWithin(func.Geography(Report.location), func.Geography(point),
                               radius_m))
        .order_by(distance, Report.id).limit(limit))
    return [NearbyReport(r.id, r.category_id, r.status, r.created_at, round(r.distance_m))
            for r in rows]


@dataclass(frozen=True)
class NearbyReport:
    id: int
    category_id: int
    status: ReportStatus
    created_at: datetime
    distance_m: int


def staff_of_party(session: Session, party_id: int) -> list[StaffUser]:
    """The active people of a party, whom its reports may be given to."""
    return list(session.scalars(
        select(StaffUser).where(StaffUser.party_id == party_id, StaffUser.active)
        .order_by(StaffUser.name, StaffUser.email)))

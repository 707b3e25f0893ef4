"""The staff inbox: the reports a staff member's role lets them see."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.models import Report, StaffUser
from feedbackgis.repositories.staff_reports import visible_to
from feedbackgis.services.staff.access import actor_of

PAGE_SIZE = 50


def inbox_reports(session: Session, user: StaffUser) -> list[Report]:
    """The newest reports user may see, a page of them."""
    return list(session.scalars(
        select(Report).where(visible_to(actor_of(user)))
        .order_by(Report.created_at.desc(), Report.id.desc()).limit(PAGE_SIZE)))

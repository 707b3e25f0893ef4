"""Staff hide a photo from everyone outside (a face, a number plate) and show it again.

A hidden photo is served to no one but staff and the reporter; the change is written to
the report's history, for staff only.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Action
from feedbackgis.errors import NotFound
from feedbackgis.models import EventKind, Photo, Report, ReportEvent, StaffUser
from feedbackgis.services.staff.access import actor_name, check_may


def hide_photo(session: Session, photo_id: int, user: StaffUser | None = None, *,
               report_id: int | None = None) -> Photo:
    """Served to no one outside from now on (public caches may keep it up to
    Cache-Control's max-age); commits. Without user: a system action (no check). With
    report_id: only a photo of that report."""
    return _set_hidden(session, photo_id, hidden=True, user=user, report_id=report_id)


def unhide_photo(session: Session, photo_id: int, user: StaffUser | None = None, *,
                 report_id: int | None = None) -> Photo:
    return _set_hidden(session, photo_id, hidden=False, user=user, report_id=report_id)


def _set_hidden(session: Session, photo_id: int, *, hidden: bool, user: StaffUser | None,
                report_id: int | None) -> Photo:
    photo = session.get(Photo, photo_id, with_for_update=True)
    if (photo is None or photo.report_id is None
            or (report_id is not None and photo.report_id != report_id)):
        raise NotFound("No such photo.")
    report = session.get(Report, photo.report_id)
    if user is not None:
        check_may(user, Action.HIDE_PHOTO, report)
    if photo.hidden != hidden:
        photo.hidden = hidden
        report.events.append(ReportEvent(
            kind=EventKind.PHOTO_HIDDEN if hidden else EventKind.PHOTO_SHOWN,
            actor=actor_name(user) if user is not None else "system",
            staff_user_id=user.id if user is not None else None, is_public=False,
            data={"photo_id": photo.id}))
    session.commit()
    return photo

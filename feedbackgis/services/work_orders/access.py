"""Who holds a work order: a contractor's account, or the work-order link of one report.

Every read and action of the work-order pages finds its report through `work_order_for`,
which answers NotFound, the same as for no report at all, for anything that is not the
holder's: another party's report by id, a report the link does not open, a link that
ended. Only whether the holder may act (a disabled account) is Forbidden.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Action, Role
from feedbackgis.errors import Forbidden, NotFound
from feedbackgis.models import Report, StaffUser
from feedbackgis.services.staff.access import actor_name, check_may, user_may
from feedbackgis.services.work_orders.links import INVALID, link_opens, report_of_link


@dataclass(frozen=True)
class WorkOrderHolder:
    party_id: int
    actor: str  # how the report's history names them
    user: StaffUser | None = None  # the signed-in contractor; None through a link
    # Through a link: the report it opens and its token (checked again on each read).
    report_id: int | None = None
    token: str | None = None
    secret_key: str | None = None

    @property
    def by_link(self) -> bool:
        return self.user is None


def holder_of_user(user: StaffUser) -> WorkOrderHolder:
    """The signed-in contractor; Forbidden for the other roles (they use the staff pages)."""
    if user.role is not Role.CONTRACTOR or not user.active or user.party_id is None:
        raise Forbidden("Only a contractor's account has work orders.")
    if user.party is None or not user.party.active:
        raise Forbidden("The contractor is no longer in use.")
    return WorkOrderHolder(party_id=user.party_id, actor=actor_name(user), user=user)


def holder_of_link(session: Session, report_id: int, token: str,
                   secret_key: str) -> WorkOrderHolder:
    """Whoever has the link of report_id's work order; NotFound for a link that opens none."""
    report = report_of_link(session, report_id, token, secret_key)
    return WorkOrderHolder(party_id=report.assigned_party_id, actor=report.assigned_party.name,
                           report_id=report.id, token=token, secret_key=secret_key)


def work_order_for(session: Session, holder: WorkOrderHolder, report_id: int, *,
                   for_update: bool = False, to_change: bool = False) -> Report:
    """The report, when it is the holder's work order; locked (its row only) `for_update`.
    `to_change`: the holder is about to change it (an account must be allowed to)."""
    report = session.get(Report, report_id, populate_existing=for_update,
                         with_for_update={"of": Report} if for_update else None)
    if report is None or report.assigned_party_id != holder.party_id:
        raise NotFound(f"No work order with id {report_id}.")
    if holder.by_link:
        if report.id != holder.report_id or not link_opens(report, holder.token or "",
                                                           holder.secret_key or ""):
            raise NotFound(INVALID)
    elif to_change:
        check_may(holder.user, Action.CHANGE_STATUS, report)
    else:
        check_may(holder.user, Action.VIEW_REPORT, report)
    return report


def holder_sees_contact(holder: WorkOrderHolder, report: Report) -> bool:
    """The reporter's contact reaches the party only where its category allows it."""
    if holder.by_link:
        return report.category.share_contact_with_party
    return user_may(holder.user, Action.VIEW_CONTACT, report)

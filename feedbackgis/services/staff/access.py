"""The staff's access to reports: domain/permissions.py asked about our models.

Refusals are errors of the service vocabulary: a report the user may not see is NotFound
(its existence is not told), an action refused on a report they see is Forbidden.
"""
from __future__ import annotations

from feedbackgis.domain.permissions import Action, Actor, ReportScope, may
from feedbackgis.errors import Forbidden, NotFound
from feedbackgis.models import Report, StaffUser


def actor_of(user: StaffUser) -> Actor:
    return Actor(role=user.role, party_id=user.party_id, active=user.active)


def scope_of(report: Report) -> ReportScope:
    return ReportScope(assigned_party_id=report.assigned_party_id, is_public=report.is_public,
                       contact_shared_with_party=report.category.share_contact_with_party)


def user_may(user: StaffUser, action: Action, report: Report | None = None) -> bool:
    return may(actor_of(user), action, scope_of(report) if report is not None else None)


def check_may(user: StaffUser, action: Action, report: Report | None = None) -> None:
    """Raise unless user may do action (on report)."""
    if report is not None and not user_may(user, Action.VIEW_REPORT, report):
        raise NotFound(f"No report with id {report.id}.")
    if not user_may(user, action, report):
        raise Forbidden("Your role may not do this.")


def actor_name(user: StaffUser) -> str:
    """How the history names a staff member (staff pages only; public pages name nobody)."""
    return user.name or user.email

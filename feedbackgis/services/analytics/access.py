"""Who may see which figures: domain/permissions.statistics_scope asked about a user."""
from __future__ import annotations

from feedbackgis.domain.permissions import StatisticsScope, may_export_contacts, statistics_scope
from feedbackgis.errors import Forbidden
from feedbackgis.models import StaffUser
from feedbackgis.services.staff.access import actor_of


def figures_scope(user: StaffUser) -> StatisticsScope:
    """The user's scope of figures; Forbidden when they have none."""
    scope = statistics_scope(actor_of(user))
    if scope is None:
        raise Forbidden("Your role does not see the figures.")
    return scope


def may_export_contacts_of(user: StaffUser) -> bool:
    return may_export_contacts(actor_of(user))

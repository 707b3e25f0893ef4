"""The reports a staff member's role lets them see, as a SQL condition for any query."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from feedbackgis.domain.permissions import Action, Actor, may
from feedbackgis.models import Report


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Roles unscoped by party see every report; a party's staff, their party's reports."""
    if may(actor, Action.VIEW_REPORT):
        return true()
    if not actor.active or actor.party_id is None:
        return false()
    return Report.assigned_party_id == actor.party_id

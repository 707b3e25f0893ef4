"""How often each party's fixes were reopened ("not fixed", said a resident), for managers.

Whoever may view statistics (managers, admins) sees every party; a party's own staff see
their own party's line only.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Action, may
from feedbackgis.models import StaffUser
from feedbackgis.repositories.reopenings import PartyReopenings, reopenings_per_party
from feedbackgis.services.staff.access import actor_of

__all__ = ["PartyReopenings", "reopenings_by_party"]


def reopenings_by_party(session: Session, since: datetime | None = None, *,
                        user: StaffUser | None = None) -> list[PartyReopenings]:
    """Reopenings per party since `since` (all time by default), most first. Without
    `user` (the CLI) every party; with one, what that user may see."""
    if user is None:
        return reopenings_per_party(session, since)
    actor = actor_of(user)
    if may(actor, Action.VIEW_STATISTICS):
        return reopenings_per_party(session, since)
    if not actor.active or actor.party_id is None:
        return []
    return reopenings_per_party(session, since, party_id=actor.party_id)

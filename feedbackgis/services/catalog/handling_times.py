"""Handling times and escalation contacts: a category's or a zone's working days, and the
manager a party's overdue reports escalate to. Each change applies to reports assigned from
now on; due dates already set stay as they are. Each change is in the audit trail."""
from __future__ import annotations

from sqlalchemy.orm import Session

from feedbackgis.errors import NotFound
from feedbackgis.models import Category, Party, Zone
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change
from feedbackgis.services.catalog.parties_and_categories import (
    CategoryChanges,
    checked_handling_days,
    update_category,
    update_party,
)


def set_category_handling_days(session: Session, code: str, days: int, *,
                               actor: ChangeActor = SYSTEM) -> Category:
    return update_category(session, code, CategoryChanges(handling_days=days), actor=actor)


def set_zone_handling_days(session: Session, zone_id: int, days: int | None, *,
                           actor: ChangeActor = SYSTEM) -> Zone:
    """The contract's own handling time in the zone; None: the category's applies."""
    zone = session.get(Zone, zone_id)
    if zone is None:
        raise NotFound(f"No zone with id {zone_id}. See `feedbackgis zones list`.", field="zone")
    before = {"handling_days": zone.handling_days}
    zone.handling_days = None if days is None else checked_handling_days(days)
    record_change(session, actor, Entity.ZONE, zone.id, "update", before,
                  {"handling_days": zone.handling_days})
    session.commit()
    return zone


def set_party_manager_email(session: Session, name: str, email: str | None, *,
                            actor: ChangeActor = SYSTEM) -> Party:
    """Who hears of the party's reports still overdue after the party was reminded; None:
    the service's managers (staff users with the manager role)."""
    return update_party(session, name, manager_email=email or "", actor=actor)

"""Handling times and escalation contacts: a category's or a zone's working days, and the
manager a party's overdue reports escalate to. Each change applies to reports assigned from
now on; due dates already set stay as they are."""
from __future__ import annotations

from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import MAX_WORKING_DAYS
from feedbackgis.errors import InvalidInput, NotFound
from feedbackgis.models import Category, Party, Zone
from feedbackgis.services.catalog.parties_and_categories import (
    EMAIL,
    find_category,
    find_party,
)


def _checked_days(days: int) -> int:
    if not 0 <= days <= MAX_WORKING_DAYS:
        raise InvalidInput(f"Handling time is 0-{MAX_WORKING_DAYS} working days, got {days}.",
                           field="handling_days")
    return days


def set_category_handling_days(session: Session, code: str, days: int) -> Category:
    category = find_category(session, code)
    category.handling_days = _checked_days(days)
    session.commit()
    return category


def set_zone_handling_days(session: Session, zone_id: int, days: int | None) -> Zone:
    """The contract's own handling time in the zone; None: the category's applies."""
    zone = session.get(Zone, zone_id)
    if zone is None:
        raise NotFound(f"No zone with id {zone_id}. See `feedbackgis zones list`.", field="zone")
    zone.handling_days = None if days is None else _checked_days(days)
    session.commit()
    return zone


def set_party_manager_email(session: Session, name: str, email: str | None) -> Party:
    """Who hears of the party's reports still overdue after the party was reminded; None:
    the service's managers (staff users with the manager role)."""
    party = find_party(session, name)
    cleaned = email.strip() if email else None
    if cleaned and not EMAIL.match(cleaned):
        raise InvalidInput(f"Not a valid email address: {cleaned}", field="manager_email")
    party.manager_email = cleaned or None
    session.commit()
    return party

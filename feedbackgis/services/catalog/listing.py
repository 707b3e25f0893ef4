"""The catalog as the admin pages list it: every category and party, inactive ones too."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from feedbackgis.errors import NotFound
from feedbackgis.i18n import sort_key
from feedbackgis.models import Category, Party, StaffUser, Zone


def all_categories(session: Session, language: str) -> list[Category]:
    """Every category, in `language`'s alphabetical order of their names."""
    categories = session.scalars(select(Category)).all()
    return sorted(categories, key=lambda c: sort_key(c.name(language), language))


def get_category(session: Session, category_id: int) -> Category:
    category = session.scalar(select(Category).where(Category.id == category_id)
                              .options(selectinload(Category.questions)))
    if category is None:
        raise NotFound(f"No category with id {category_id}.")
    return category


def all_parties(session: Session) -> list[Party]:
    """Every party, alphabetically (the names are the municipality's, mostly Finnish)."""
    return sorted(session.scalars(select(Party)).all(), key=lambda p: sort_key(p.name, "fi"))


def get_party(session: Session, party_id: int) -> Party:
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(f"No party with id {party_id}.")
    return party


def party_usage(session: Session, party_id: int) -> dict[str, int]:
    """How much depends on a party: its staff users, zones and default categories."""
    def count(model: type, *where: object) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return {"users": count(StaffUser, StaffUser.party_id == party_id),
            "zones": count(Zone, Zone.party_id == party_id),
            "categories": count(Category, Category.default_party_id == party_id)}

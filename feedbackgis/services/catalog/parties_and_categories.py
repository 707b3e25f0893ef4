"""Managing parties and categories: add, change, deactivate."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.i18n import sort_key
from feedbackgis.models import Category, Party, PartyKind, PublishPolicy

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def find_party(session: Session, name: str) -> Party:
    party = session.scalar(select(Party).where(Party.name == name))
    if party is None:
        raise NotFound(f"No party named '{name}'. See `feedbackgis parties list`.", field="party")
    return party


def find_category(session: Session, code: str) -> Category:
    category = session.scalar(select(Category).where(Category.code == code))
    if category is None:
        raise NotFound(f"No category '{code}'. See `feedbackgis categories list`.",
                       field="category")
    return category


def _checked_emails(emails: list[str]) -> list[str]:
    cleaned = [e.strip() for e in emails if e.strip()]
    bad = [e for e in cleaned if not EMAIL.match(e)]
    if bad:
        raise InvalidInput(f"Not valid email address(es): {', '.join(bad)}", field="emails")
    return cleaned


def add_party(session: Session, name: str, kind: PartyKind, emails: list[str]) -> Party:
    name = name.strip()
    if not name:
        raise InvalidInput("A party needs a name.", field="name")
    if session.scalar(select(Party.id).where(Party.name == name)) is not None:
        raise Conflict(f"A party named '{name}' exists already.", field="name")
    party = Party(name=name, kind=kind, emails=_checked_emails(emails), active=True)
    session.add(party)
    session.commit()
    return party


def update_party(session: Session, name: str, *, emails: list[str] | None = None,
                 active: bool | None = None) -> Party:
    party = find_party(session, name)
    if emails is not None:
        party.emails = _checked_emails(emails)
    if active is not None:
        party.active = active
    session.commit()
    return party


@dataclass(frozen=True)
class CategoryFields:
    name_fi: str
    name_sv: str
    name_en: str
    default_party: str | None = None
    publish_policy: PublishPolicy = PublishPolicy.MODERATED
    share_contact_with_party: bool = False


def add_category(session: Session, code: str, fields: CategoryFields) -> Category:
    if not CODE.match(code):
        raise InvalidInput(
            "A category code is 1-64 lower-case letters, digits, '-' or '_'.", field="code"
        )
    if session.scalar(select(Category.id).where(Category.code == code)) is not None:
        raise Conflict(f"Category '{code}' exists already.", field="code")
    names = {"name_fi": fields.name_fi, "name_sv": fields.name_sv, "name_en": fields.name_en}
    for key, value in names.items():
        if not value.strip():
            raise InvalidInput("A category needs a name in Finnish, Swedish and English.",
                               field=key)
    default = find_party(session, fields.default_party) if fields.default_party else None
    category = Category(
        code=code, **{k: v.strip() for k, v in names.items()},
        default_party_id=default.id if default else None,
        publish_policy=fields.publish_policy,
        share_contact_with_party=fields.share_contact_with_party, active=True,
    )
    session.add(category)
    session.commit()
    return category


def set_category_active(session: Session, code: str, active: bool) -> Category:
    category = find_category(session, code)
    category.active = active
    session.commit()
    return category


def active_categories(session: Session, language: str) -> list[tuple[str, str]]:
    """(code, name) of the active categories, in `language`'s alphabetical order."""
    categories = session.scalars(select(Category).where(Category.active)).all()
    named = [(c.code, c.name(language)) for c in categories]
    return sorted(named, key=lambda item: sort_key(item[1], language))

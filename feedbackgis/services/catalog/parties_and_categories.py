"""Managing parties and categories: add, change, deactivate."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.i18n import sort_key
from feedbackgis.models import Category, Party, PartyKind, PublishPolicy
from feedbackgis.models.category import DESCRIPTION_MAX_LENGTH

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


NAME_COLUMNS = ("name_fi", "name_sv", "name_en")
DESCRIPTION_COLUMNS = ("description_fi", "description_sv", "description_en")
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class CategoryFields:
    name_fi: str
    name_sv: str
    name_en: str
    default_party: str | None = None
    publish_policy: PublishPolicy = PublishPolicy.MODERATED
    share_contact_with_party: bool = False
    description_fi: str | None = None
    description_sv: str | None = None
    description_en: str | None = None


@dataclass(frozen=True)
class CategoryTexts:
    """What update_category changes: None keeps a text as it is, "" clears a description."""

    name_fi: str | None = None
    name_sv: str | None = None
    name_en: str | None = None
    description_fi: str | None = None
    description_sv: str | None = None
    description_en: str | None = None


def _set_texts(category: Category, texts: dict[str, str | None]) -> None:
    """Set names and descriptions; a category ends up with a name in every language and a
    description in every language or in none (a Swedish reader never gets Finnish alone)."""
    for column, value in texts.items():
        if value is None:
            continue
        value = value.strip()
        is_name = column in NAME_COLUMNS
        if is_name and not value:
            raise InvalidInput("A category needs a name in Finnish, Swedish and English.",
                               field=column)
        limit = NAME_MAX_LENGTH if is_name else DESCRIPTION_MAX_LENGTH
        if len(value) > limit:
            raise InvalidInput(f"{column} must be at most {limit} characters.", field=column)
        setattr(category, column, value or None)
    missing = [column for column in DESCRIPTION_COLUMNS if not getattr(category, column)]
    if 0 < len(missing) < len(DESCRIPTION_COLUMNS):
        raise InvalidInput("Give the description in Finnish, Swedish and English, or in none.",
                           field=missing[0])


def _texts_of(fields: CategoryFields | CategoryTexts) -> dict[str, str | None]:
    return {column: getattr(fields, column) for column in NAME_COLUMNS + DESCRIPTION_COLUMNS}


def add_category(session: Session, code: str, fields: CategoryFields) -> Category:
    if not CODE.match(code):
        raise InvalidInput(
            "A category code is 1-64 lower-case letters, digits, '-' or '_'.", field="code"
        )
    if session.scalar(select(Category.id).where(Category.code == code)) is not None:
        raise Conflict(f"Category '{code}' exists already.", field="code")
    category = Category(
        code=code, publish_policy=fields.publish_policy,
        share_contact_with_party=fields.share_contact_with_party, active=True,
    )
    _set_texts(category, _texts_of(fields))
    default = find_party(session, fields.default_party) if fields.default_party else None
    category.default_party_id = default.id if default else None
    session.add(category)
    session.commit()
    return category


def update_category(session: Session, code: str, texts: CategoryTexts) -> Category:
    category = find_category(session, code)
    _set_texts(category, _texts_of(texts))
    session.commit()
    return category


def set_category_active(session: Session, code: str, active: bool) -> Category:
    category = find_category(session, code)
    category.active = active
    session.commit()
    return category


def active_categories_with_questions(session: Session, language: str) -> list[Category]:
    """The active categories in `language`'s alphabetical order, their questions loaded."""
    query = select(Category).where(Category.active).options(selectinload(Category.questions))
    return sorted(session.scalars(query), key=lambda c: sort_key(c.name(language), language))


def active_categories(session: Session, language: str) -> list[tuple[str, str]]:
    """(code, name) of the active categories, in `language`'s alphabetical order."""
    categories = session.scalars(select(Category).where(Category.active)).all()
    named = [(c.code, c.name(language)) for c in categories]
    return sorted(named, key=lambda item: sort_key(item[1], language))

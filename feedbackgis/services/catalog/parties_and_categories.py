"""Managing parties and categories: add, change, deactivate, each change in the audit trail.

Every function takes the `actor` who asks (services/admin/audit.py: the admin's StaffUser on
the admin pages, "cli" from the command line) and records what it changed, in the same
transaction as the change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from feedbackgis.domain.due_dates import MAX_WORKING_DAYS
from feedbackgis.errors import Conflict, InvalidInput, NotFound
from feedbackgis.i18n import LANGUAGES, sort_key
from feedbackgis.models import Category, Party, PartyKind, PublishPolicy, StaffUser
from feedbackgis.services.admin.audit import SYSTEM, ChangeActor, Entity, record_change, snapshot
from feedbackgis.services.catalog.category_texts import (  # noqa: F401 (the callers' names)
    DESCRIPTION_COLUMNS,
    GROUP_COLUMNS,
    KEYWORD_COLUMNS,
    NAME_COLUMNS,
    TEXT_COLUMNS,
    set_category_texts,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
PARTY_NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 320
PARTY_FIELDS = ("name", "kind", "emails", "manager_email", "active", "webhook_url")


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
    bad = [e for e in cleaned
           if not EMAIL.match(e) or len(e) > EMAIL_MAX_LENGTH or "\x00" in e]
    if bad:
        raise InvalidInput(f"Not valid email address(es): {', '.join(bad)}", field="emails")
    return cleaned


def checked_manager_email(email: str | None) -> str | None:
    """The escalation address stripped (None for none); InvalidInput on "manager_email"."""
    cleaned = email.strip() if email else None
    if cleaned and (not EMAIL.match(cleaned) or len(cleaned) > EMAIL_MAX_LENGTH
                    or "\x00" in cleaned):
        raise InvalidInput(f"Not a valid email address: {cleaned}", field="manager_email")
    return cleaned or None


def checked_language(language: str | None) -> str:
    """The language of the emails of a staff user or a party that nobody asked for (the
    monthly summaries): fi when none is given; InvalidInput on "language" otherwise."""
    if language is None or language == "":
        return "fi"
    if language not in LANGUAGES:
        raise InvalidInput(f"Unknown language '{language}'; the languages are "
                           f"{', '.join(LANGUAGES)}.", field="language")
    return language


def party_snapshot(party: Party) -> dict[str, Any]:
    return snapshot(party, PARTY_FIELDS)


def add_party(session: Session, name: str, kind: PartyKind, emails: list[str], *,
              manager_email: str | None = None, language: str | None = None,
              actor: ChangeActor = SYSTEM) -> Party:
    name = name.strip()
    if not name:
        raise InvalidInput("A party needs a name.", field="name")
    if len(name) > PARTY_NAME_MAX_LENGTH or "\x00" in name:
        raise InvalidInput(f"A party's name is at most {PARTY_NAME_MAX_LENGTH} characters "
                           "(no NUL).", field="name")
    if session.scalar(select(Party.id).where(Party.name == name)) is not None:
        raise Conflict(f"A party named '{name}' exists already.", field="name")
    party = Party(name=name, kind=PartyKind(kind), emails=_checked_emails(emails),
                  manager_email=checked_manager_email(manager_email), active=True,
                  language=checked_language(language))
    session.add(party)
    session.flush()
    record_change(session, actor, Entity.PARTY, party.id, "create", None, party_snapshot(party))
    session.commit()
    return party


def _check_kind_change(session: Session, party: Party, kind: PartyKind) -> None:
    """Handlers belong to a unit and contractors to a contractor: a party with staff users
    keeps its kind (change their party or role first)."""
    if kind == party.kind:
        return
    users = session.scalar(select(func.count()).select_from(StaffUser)
                           .where(StaffUser.party_id == party.id))
    if users:
        raise InvalidInput(f"'{party.name}' has {users} staff user(s) of a {party.kind}; give "
                           "them another party or role before changing its kind.", field="kind")


def update_party(session: Session, name: str, *, emails: list[str] | None = None,
                 active: bool | None = None, kind: PartyKind | None = None,
                 manager_email: str | None = None, language: str | None = None,
                 actor: ChangeActor = SYSTEM) -> Party:
    """Change what is given (None keeps it; manager_email "" clears it)."""
    party = find_party(session, name)
    before = party_snapshot(party)
    if kind is not None:
        _check_kind_change(session, party, PartyKind(kind))
        party.kind = PartyKind(kind)
    if emails is not None:
        party.emails = _checked_emails(emails)
    if manager_email is not None:
        party.manager_email = checked_manager_email(manager_email)
    if active is not None:
        party.active = active
    if language is not None:
        party.language = checked_language(language)
    record_change(session, actor, Entity.PARTY, party.id, "update", before,
                  party_snapshot(party))
    session.commit()
    return party


CATEGORY_FIELDS = ("code", *TEXT_COLUMNS, "publish_policy", "share_contact_with_party",
                   "handling_days", "active")


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
    handling_days: int | None = None  # None: the service's default
    group_fi: str | None = None
    group_sv: str | None = None
    group_en: str | None = None
    keywords_fi: str | None = None  # comma-separated; stored as "a, b, c"
    keywords_sv: str | None = None
    keywords_en: str | None = None


@dataclass(frozen=True)
class CategoryTexts:
    """What update_category changes: None keeps a text as it is, "" clears a description,
    a group or the keywords."""

    name_fi: str | None = None
    name_sv: str | None = None
    name_en: str | None = None
    description_fi: str | None = None
    description_sv: str | None = None
    description_en: str | None = None
    group_fi: str | None = None
    group_sv: str | None = None
    group_en: str | None = None
    keywords_fi: str | None = None
    keywords_sv: str | None = None
    keywords_en: str | None = None


@dataclass(frozen=True)
class CategoryChanges(CategoryTexts):
    """The texts and the policies; None keeps a value, default_party "" sets none."""

    default_party: str | None = None
    publish_policy: PublishPolicy | None = None
    share_contact_with_party: bool | None = None
    handling_days: int | None = None
    active: bool | None = None


def checked_handling_days(days: int) -> int:
    if not 0 <= days <= MAX_WORKING_DAYS:
        raise InvalidInput(f"Handling time is 0-{MAX_WORKING_DAYS} working days, got {days}.",
                           field="handling_days")
    return days


def _texts_of(fields: CategoryFields | CategoryTexts) -> dict[str, str | None]:
    return {column: getattr(fields, column) for column in TEXT_COLUMNS}


def category_snapshot(category: Category) -> dict[str, Any]:
    party = category.default_party
    return snapshot(category, CATEGORY_FIELDS, default_party=party.name if party else None)


def _set_default_party(session: Session, category: Category, name: str | None) -> None:
    category.default_party = find_party(session, name) if name else None


def add_category(session: Session, code: str, fields: CategoryFields, *,
                 actor: ChangeActor = SYSTEM) -> Category:
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
    if fields.handling_days is not None:
        category.handling_days = checked_handling_days(fields.handling_days)
    set_category_texts(category, _texts_of(fields))
    _set_default_party(session, category, fields.default_party)
    session.add(category)
    session.flush()
    record_change(session, actor, Entity.CATEGORY, category.id, "create", None,
                  category_snapshot(category))
    session.commit()
    return category


def _set_policies(session: Session, category: Category, changes: CategoryChanges) -> None:
    if changes.default_party is not None:
        _set_default_party(session, category, changes.default_party)
    if changes.publish_policy is not None:
        category.publish_policy = PublishPolicy(changes.publish_policy)
    if changes.share_contact_with_party is not None:
        category.share_contact_with_party = changes.share_contact_with_party
    if changes.handling_days is not None:
        category.handling_days = checked_handling_days(changes.handling_days)
    if changes.active is not None:
        category.active = changes.active


def update_category(session: Session, code: str, changes: CategoryTexts, *,
                    actor: ChangeActor = SYSTEM) -> Category:
    """Change the texts given (CategoryTexts), and the policies (CategoryChanges)."""
    category = find_category(session, code)
    before = category_snapshot(category)
    set_category_texts(category, _texts_of(changes))
    if isinstance(changes, CategoryChanges):
        _set_policies(session, category, changes)
    record_change(session, actor, Entity.CATEGORY, category.id, "update", before,
                  category_snapshot(category))
    session.commit()
    return category


def set_category_active(session: Session, code: str, active: bool, *,
                        actor: ChangeActor = SYSTEM) -> Category:
    return update_category(session, code, CategoryChanges(active=active), actor=actor)


def active_categories_with_questions(session: Session, language: str) -> list[Category]:
    """The active categories in `language`'s alphabetical order, their questions loaded."""
    query = select(Category).where(Category.active).options(selectinload(Category.questions))
    return sorted(session.scalars(query), key=lambda c: sort_key(c.name(language), language))


def active_categories(session: Session, language: str) -> list[tuple[str, str]]:
    """(code, name) of the active categories, in `language`'s alphabetical order."""
    categories = session.scalars(select(Category).where(Category.active)).all()
    named = [(c.code, c.name(language)) for c in categories]
    return sorted(named, key=lambda item: sort_key(item[1], language))

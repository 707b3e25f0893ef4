"""The audit trail of admin changes: who changed what, when, from what to what.

Every service that changes the catalog, the users or the jobs records its change here, in
its own transaction, whoever asked: an admin on the admin pages (the actor is their
StaffUser: its id and email are kept) or the command line (the actor "cli"). `before` and
`after` hold only the fields that changed, as JSON; a creation has no `before`, a removal
no `after`. Secrets (password hashes, webhook secrets) are never among the fields.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.models import AdminChange, StaffUser

CLI = "cli"
# A change made by code with no one behind it (the demo seed, a test's setup).
SYSTEM = "system"

# Who made a change: the admin signed in to the pages, or a name such as CLI.
ChangeActor = StaffUser | str


class Entity(enum.StrEnum):
    CATEGORY = "category"
    PARTY = "party"
    USER = "user"
    RESPONSE_TEMPLATE = "response_template"
    ZONE = "zone"
    JOB = "job"
    API_KEY = "api_key"  # an Open311 client system's key (services/open311/api_keys.py)


def json_value(value: Any) -> Any:
    """`value` as JSON keeps it: enums by value, times as ISO 8601, sequences as lists."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(each) for each in value]
    if isinstance(value, dict):
        return {str(key): json_value(each) for key, each in value.items()}
    return value


def snapshot(entity: object, fields: Iterable[str], **extra: Any) -> dict[str, Any]:
    """The named attributes of `entity` (and `extra` values) as JSON values."""
    values = {name: json_value(getattr(entity, name)) for name in fields}
    values.update({name: json_value(value) for name, value in extra.items()})
    return values


def _actor_fields(actor: ChangeActor) -> tuple[int | None, str]:
    if isinstance(actor, StaffUser):
        return actor.id, actor.email
    return None, str(actor)[:320] or SYSTEM


def record_change(session: Session, actor: ChangeActor, entity: Entity | str,
                  entity_id: object, action: str, before: dict[str, Any] | None,
                  after: dict[str, Any] | None) -> AdminChange | None:
    """Add the change to the trail (the caller commits it with the change itself).

    When both `before` and `after` are given, a field with the same value in both is left
    out (a field in only one of them is kept, as context), and a change that changed nothing
    is not recorded (None)."""
    if before is not None and after is not None:
        same = {key for key in before.keys() & after.keys() if before[key] == after[key]}
        if same == before.keys() | after.keys():
            return None
        before = {key: value for key, value in sorted(before.items()) if key not in same}
        after = {key: value for key, value in sorted(after.items()) if key not in same}
    staff_user_id, name = _actor_fields(actor)
    change = AdminChange(staff_user_id=staff_user_id, actor=name, entity=str(entity),
                         entity_id=str(entity_id), action=action, before=before, after=after)
    session.add(change)
    return change


def history(session: Session, entity: Entity | str, entity_id: object,
            limit: int = 100) -> list[AdminChange]:
    """The entity's changes, newest first."""
    return list(session.scalars(
        select(AdminChange)
        .where(AdminChange.entity == str(entity), AdminChange.entity_id == str(entity_id))
        .order_by(AdminChange.id.desc()).limit(limit)))


def recent_changes(session: Session, *, entity: Entity | str | None = None,
                   limit: int = 200) -> list[AdminChange]:
    """Every entity's changes (or one kind's), newest first: removed entities included."""
    query = select(AdminChange).order_by(AdminChange.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AdminChange.entity == str(entity))
    return list(session.scalars(query))

"""Who may do what: staff roles, their actions, and the one question `may(user, action, report)`.

Pure rules over plain values (no Flask, no SQL), so the whole matrix is unit-tested; pages,
the API and queries ask here instead of testing roles themselves. Handlers and contractors
are scoped to one party: they act only on reports assigned to it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    ADMIN = "admin"  # everything, users and the catalog included
    MANAGER = "manager"  # reads every report, reassigns, statistics
    HANDLER = "handler"  # works the reports of their unit (one party)
    MODERATOR = "moderator"  # what is public: publishing, hiding, merging; no contact data
    CONTRACTOR = "contractor"  # its party's work orders only


# The roles that belong to one party (and must have one); the others must not.
PARTY_ROLES = frozenset({Role.HANDLER, Role.CONTRACTOR})


class Action(enum.StrEnum):
    VIEW_REPORT = "view_report"
    VIEW_CONTACT = "view_contact"
    CHANGE_STATUS = "change_status"
    REPLY_PUBLICLY = "reply_publicly"
    ADD_INTERNAL_NOTE = "add_internal_note"
    REASSIGN = "reassign"
    ASSIGN_PERSON = "assign_person"
    MODERATE = "moderate"
    PUBLISH = "publish"
    HIDE_PHOTO = "hide_photo"
    MERGE = "merge"
    MANAGE_USERS = "manage_users"
    MANAGE_CATALOG = "manage_catalog"
    VIEW_STATISTICS = "view_statistics"
    EXPORT = "export"


# Actions about no report in particular; a report passed with them changes nothing.
GLOBAL_ACTIONS = frozenset({Action.MANAGE_USERS, Action.MANAGE_CATALOG, Action.VIEW_STATISTICS,
                            Action.EXPORT})


@dataclass(frozen=True)
class Actor:
    role: Role
    party_id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class ReportScope:
    """What the rules need of a report."""

    assigned_party_id: int | None
    is_public: bool = False
    # The report's category lets the reporter's contact go to the responsible party
    # (category.share_contact_with_party): the only way a contractor sees it.
    contact_shared_with_party: bool = False


# On every report (or globally), whatever the party.
_ANYWHERE: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    # Exports carry no contact data (DESIGN.md), so they go with the statistics.
    Role.MANAGER: frozenset({Action.VIEW_REPORT, Action.REASSIGN, Action.VIEW_STATISTICS,
                             Action.EXPORT}),
    Role.MODERATOR: frozenset({Action.VIEW_REPORT, Action.MODERATE, Action.PUBLISH,
                               Action.HIDE_PHOTO, Action.MERGE}),
    Role.HANDLER: frozenset(),
    Role.CONTRACTOR: frozenset(),
}

# Only on reports assigned to the actor's own party.
_OWN_PARTY: dict[Role, frozenset[Action]] = {
    Role.HANDLER: frozenset({Action.VIEW_REPORT, Action.VIEW_CONTACT, Action.CHANGE_STATUS,
                             Action.REPLY_PUBLICLY, Action.ADD_INTERNAL_NOTE,
                             Action.ASSIGN_PERSON}),
    # VIEW_CONTACT is added below only where the category shares it.
    Role.CONTRACTOR: frozenset({Action.VIEW_REPORT, Action.CHANGE_STATUS}),
}


def may(user: Actor, action: Action, report: ReportScope | None = None) -> bool:
    """Whether user may do action (on report, for actions about one).

    A report action asked without a report means "on any report at all", which only roles
    unscoped by party hold; a party's staff are asked about each report.
    """
    if not user.active:
        return False
    if action in _ANYWHERE[user.role]:
        return True
    if action in GLOBAL_ACTIONS or report is None:
        return False
    if user.party_id is None or report.assigned_party_id != user.party_id:
        return False
    allowed = _OWN_PARTY.get(user.role, frozenset())
    if user.role is Role.CONTRACTOR and report.contact_shared_with_party:
        allowed = allowed | {Action.VIEW_CONTACT}
    return action in allowed


@dataclass(frozen=True)
class StatisticsScope:
    """Whose figures and exports a user may have: every party's, or one party's."""

    party_id: int | None  # None: every party

    def covers(self, party_id: int | None) -> bool:
        return self.party_id is None or party_id == self.party_id


def statistics_scope(user: Actor) -> StatisticsScope | None:
    """The figures a user may see (the dashboard, heatmaps, hot spots, exports), or None.
    Admins and managers see every party's; a handler sees their own unit's, and no other."""
    if not user.active:
        return None
    if may(user, Action.VIEW_STATISTICS):
        return StatisticsScope(party_id=None)
    if user.role is Role.HANDLER and user.party_id is not None:
        return StatisticsScope(party_id=user.party_id)
    return None


def may_export_contacts(user: Actor) -> bool:
    """Whether an export of the user's scope may carry the reporters' contacts (when asked
    for): only the roles that see them on every report of that scope. A manager, who sees
    no contact, never exports one."""
    if not user.active:
        return False
    return may(user, Action.VIEW_CONTACT) or (user.role is Role.HANDLER
                                              and user.party_id is not None)

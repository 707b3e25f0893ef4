"""The authorisation matrix of domain/permissions.py: every role x action x own/other party."""
from __future__ import annotations

import pytest

from feedbackgis.domain.permissions import Action, Actor, ReportScope, Role, may

UNIT_A, UNIT_B = 1, 2

# Y: allowed, -: refused. "own" is a report assigned to the user's party (unit A), "other" one
# assigned to unit B; roles without a party answer the same for both. The report's category
# does not share the contact with the party (the shared case is tested below).
MATRIX = """
                    admin      manager    handler    moderator  contractor
                    own other  own other  own other  own other  own other
view_report         Y   Y      Y   Y      Y   -      Y   Y      Y   -
view_contact        Y   Y      -   -      Y   -      -   -      -   -
change_status       Y   Y      -   -      Y   -      -   -      Y   -
reply_publicly      Y   Y      -   -      Y   -      -   -      -   -
add_internal_note   Y   Y      -   -      Y   -      -   -      -   -
reassign            Y   Y      Y   Y      -   -      -   -      -   -
assign_person       Y   Y      -   -      Y   -      -   -      -   -
moderate            Y   Y      -   -      -   -      Y   Y      -   -
publish             Y   Y      -   -      -   -      Y   Y      -   -
hide_photo          Y   Y      -   -      -   -      Y   Y      -   -
merge               Y   Y      -   -      -   -      Y   Y      -   -
manage_users        Y   Y      -   -      -   -      -   -      -   -
manage_catalog      Y   Y      -   -      -   -      -   -      -   -
view_statistics     Y   Y      Y   Y      -   -      -   -      -   -
export              Y   Y      Y   Y      -   -      -   -      -   -
"""


def _expected() -> dict[tuple[Role, Action, str], bool]:
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    roles = [Role(name) for name in lines[0]]
    table = {}
    for action_name, *marks in lines[2:]:
        assert len(marks) == 2 * len(roles), action_name
        for i, role in enumerate(roles):
            for whose, mark in zip(("own", "other"), marks[2 * i:2 * i + 2], strict=True):
                table[(role, Action(action_name), whose)] = mark == "Y"
    return table


EXPECTED = _expected()


def _actor(role: Role, *, active: bool = True) -> Actor:
    party = UNIT_A if role in (Role.HANDLER, Role.CONTRACTOR) else None
    return Actor(role=role, party_id=party, active=active)


def _report(whose: str, *, contact_shared: bool = False) -> ReportScope:
    return ReportScope(assigned_party_id=UNIT_A if whose == "own" else UNIT_B, is_public=True,
                       contact_shared_with_party=contact_shared)


def test_matrix_names_every_role_and_action_for_both_parties():
    assert set(EXPECTED) == {(r, a, w) for r in Role for a in Action for w in ("own", "other")}


@pytest.mark.parametrize(("role", "action", "whose"), sorted(EXPECTED))
def test_active_user_may_do_what_the_matrix_says(role, action, whose):
    assert may(_actor(role), action, _report(whose)) is EXPECTED[(role, action, whose)]


@pytest.mark.parametrize(("role", "action", "whose"), sorted(EXPECTED))
def test_disabled_user_may_do_nothing(role, action, whose):
    assert may(_actor(role, active=False), action, _report(whose)) is False


def test_handler_of_unit_a_on_unit_bs_report_is_refused():
    handler = Actor(Role.HANDLER, party_id=UNIT_A)
    theirs = ReportScope(assigned_party_id=UNIT_B)
    assert not any(may(handler, action, theirs) for action in Action)


def test_contractor_sees_the_contact_only_when_the_category_shares_it():
    contractor = Actor(Role.CONTRACTOR, party_id=UNIT_A)
    assert may(contractor, Action.VIEW_CONTACT, _report("own", contact_shared=True))
    assert not may(contractor, Action.VIEW_CONTACT, _report("own"))
    assert not may(contractor, Action.VIEW_CONTACT, _report("other", contact_shared=True))


def test_shared_contact_changes_nothing_for_the_other_roles():
    for role in Role:
        if role is Role.CONTRACTOR:
            continue
        for whose in ("own", "other"):
            shared = may(_actor(role), Action.VIEW_CONTACT, _report(whose, contact_shared=True))
            assert shared is EXPECTED[(role, Action.VIEW_CONTACT, whose)]


def test_unassigned_report_belongs_to_no_party():
    unassigned = ReportScope(assigned_party_id=None)
    assert not may(Actor(Role.HANDLER, party_id=UNIT_A), Action.VIEW_REPORT, unassigned)
    assert may(Actor(Role.MANAGER), Action.VIEW_REPORT, unassigned)


def test_party_role_without_a_party_may_do_nothing():
    for role in (Role.HANDLER, Role.CONTRACTOR):
        for scope in (ReportScope(assigned_party_id=None), ReportScope(assigned_party_id=UNIT_A)):
            assert not any(may(Actor(role, party_id=None), a, scope) for a in Action)


def test_report_action_without_a_report_is_allowed_only_to_unscoped_roles():
    assert may(Actor(Role.MANAGER), Action.VIEW_REPORT)
    assert may(Actor(Role.MODERATOR), Action.PUBLISH)
    assert not may(Actor(Role.HANDLER, party_id=UNIT_A), Action.VIEW_REPORT)
    assert not may(Actor(Role.CONTRACTOR, party_id=UNIT_A), Action.CHANGE_STATUS)


def test_global_actions_answer_the_same_with_or_without_a_report():
    for role in Role:
        for action in (Action.MANAGE_USERS, Action.MANAGE_CATALOG, Action.VIEW_STATISTICS,
                       Action.EXPORT):
            assert may(_actor(role), action) is EXPECTED[(role, action, "own")]

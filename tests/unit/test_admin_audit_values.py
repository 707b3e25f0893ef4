"""What the audit trail keeps of a value: plain JSON, enums by value, times in ISO 8601."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

from feedbackgis.domain.permissions import Role
from feedbackgis.models import PartyKind
from feedbackgis.services.admin.audit import json_value, snapshot


def test_enums_times_and_sequences_become_plain_json():
    value = json_value({"role": Role.ADMIN, "at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
                        "kinds": (PartyKind.UNIT, PartyKind.CONTRACTOR), "n": 3, "x": None})
    assert value == {"role": "admin", "at": "2026-12-01T09:30:00+00:00",
                     "kinds": ["unit", "contractor"], "n": 3, "x": None}
    assert json.loads(json.dumps(value)) == value


def test_a_snapshot_has_the_named_fields_and_the_extra_values_only():
    thing = SimpleNamespace(name="Kadut", kind=PartyKind.UNIT, password_hash="secret")
    assert snapshot(thing, ("name", "kind"), party=None) == {
        "name": "Kadut", "kind": "unit", "party": None}

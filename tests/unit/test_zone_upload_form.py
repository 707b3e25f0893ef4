"""The zone upload form read into the import's options, as `zones import` reads its own."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from feedbackgis.errors import InvalidInput
from feedbackgis.web.admin.zone_form import upload_options

HELSINKI = ZoneInfo("Europe/Helsinki")


def _options(**form):
    return upload_options(form, time_zone="Europe/Helsinki", densify_segment=100.0)


def test_the_form_gives_the_same_options_as_the_command_line():
    options = _options(party=" Urakoitsija Oy ", categories="lights, roads", priority="-2",
                       valid_from="2026-01-01", valid_to="2026-12-31", srid="3067",
                       mode="replace", name_field="")
    assert (options.party, options.categories, options.priority, options.srid) == (
        "Urakoitsija Oy", "lights, roads", -2, "3067")
    assert options.replace and options.name_field is None and options.densify_segment == 100
    # Local calendar days, the last one included (as --valid-from and --valid-to).
    assert options.valid_from == datetime(2026, 1, 1, tzinfo=HELSINKI)
    assert options.valid_to == datetime(2027, 1, 1, tzinfo=HELSINKI)


def test_an_empty_form_adds_with_no_priority_and_no_validity():
    options = _options()
    assert (options.replace, options.priority, options.valid_from, options.valid_to) == (
        False, None, None, None)


@pytest.mark.parametrize(("form", "field"), [
    ({"priority": "1.5"}, "priority"), ({"priority": "9999999999"}, "priority"),
    ({"valid_from": "2026-02-30"}, "valid_from"), ({"valid_to": "31.12.2026"}, "valid_to"),
    ({"mode": "merge"}, "mode"), ({"party": "x" * 201}, "party"),
    ({"layer": "a\x00b"}, "layer"),
])
def test_a_value_that_cannot_be_read_is_refused_on_its_field(form, field):
    with pytest.raises(InvalidInput) as refused:
        _options(**form)
    assert refused.value.field == field


def test_the_preview_may_ask_for_the_other_mode():
    options = upload_options({"mode": "add"}, time_zone="Europe/Helsinki",
                             densify_segment=100.0, mode="replace")
    assert options.replace

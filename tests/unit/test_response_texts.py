"""Placeholders of response templates: only {id} and {category}, bare, and never a way in."""
from __future__ import annotations

import pytest

from feedbackgis.domain.response_texts import (
    BadPlaceholder,
    check_placeholders,
    fill_placeholders,
)


@pytest.mark.parametrize("text", [
    "Kiitos ilmoituksesta.",
    "Ilmoitus #{id}: {category}.",
    "{category}{id}{id}",
    "Aaltosulkeet {{näin}} ja }} yksin",
])
def test_known_placeholders_and_doubled_braces_pass(text):
    check_placeholders(text)


@pytest.mark.parametrize(("text", "says"), [
    ("Hei {name}", "Unknown placeholder {name}"),
    ("{}", "Unknown placeholder {}"),
    ("{0}", "Unknown placeholder {0}"),
    ("{id.__class__}", "Unknown placeholder {id.__class__}"),
    ("{category[0]}", "Unknown placeholder {category[0]}"),
    ("{id!r}", "without '!' or ':'"),
    ("{category:>100000}", "without '!' or ':'"),
    ("Avoin { sulku", "A brace without its pair"),
    ("Vain } yksi", "A brace without its pair"),
])
def test_anything_else_is_refused_saying_what_is_wrong(text, says):
    with pytest.raises(BadPlaceholder) as refused:
        check_placeholders(text)
    assert says in str(refused.value)
    assert "{id}, {category}" in str(refused.value) or "!" in says


def test_placeholders_are_filled_and_doubled_braces_become_single():
    filled = fill_placeholders("#{id} {category} {{ok}}", report_id=42, category="Katuvalo")
    assert filled == "#42 Katuvalo {ok}"


def test_a_value_with_braces_is_not_formatted_again():
    assert fill_placeholders("{category}", report_id=1, category="{id}") == "{id}"


@pytest.mark.parametrize("text", ["{id.__class__.__mro__}", "{category:>99999999}", "{x"])
def test_a_text_that_fails_the_check_is_used_as_it_stands(text):
    assert fill_placeholders(text, report_id=7, category="Penkki") == text

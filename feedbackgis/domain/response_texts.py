"""The placeholders of response templates: which there are, how a text is checked and filled.

A template's text is written by an admin and filled for a report: "{id}" becomes the report's
number, "{category}" its category's name in the report's language; "{{" and "}}" are literal
braces. Only these bare names are placeholders: no attribute or index access ("{id.real}",
"{category[0]}"), no conversion ("{id!r}") and no format spec ("{category:>99999}"), which
would let a template reach into Python objects or blow up in size. A text with anything else
is refused when the template is saved, and filled as it stands if one ever reaches a report.
"""
from __future__ import annotations

from string import Formatter

PLACEHOLDERS = ("id", "category")
TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 4000

_FORMATTER = Formatter()


class BadPlaceholder(ValueError):
    pass


def check_placeholders(text: str) -> None:
    """Raise BadPlaceholder (its message says what is wrong) unless every placeholder of
    `text` is one of PLACEHOLDERS, bare."""
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError:
        raise BadPlaceholder(f"A brace without its pair. Placeholders are {known}; write "
                             "{{ and }} for a brace itself.") from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            raise BadPlaceholder(f"Unknown placeholder {{{name}}}: the placeholders are "
                                 f"{known}.")
        if spec or conversion:
            raise BadPlaceholder(f"Write the placeholder {{{name}}} as it is, without "
                                 "'!' or ':'.")


def fill_placeholders(text: str, *, report_id: int, category: str) -> str:
    """`text` with its placeholders filled; a text that fails the check is returned as it
    is (it cannot have been saved through the services, and must not be formatted)."""
    try:
        check_placeholders(text)
    except BadPlaceholder:
        return text
    return text.format_map({"id": str(report_id), "category": category})

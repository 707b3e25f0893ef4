"""A category's keywords: the words a resident might type to find it (Open311's `keywords`,
"a comma separated list of tags"), kept in one canonical form.

Admins type them loosely ("katuvalo,lamppu , Lamppu,,pimeä"); what is stored and sent is
each word once (the first spelling wins, compared case-insensitively), in the order typed,
joined by ", " ("katuvalo, lamppu, pimeä"), so that a resend of the form changes nothing
and a client splitting on commas gets clean words.
"""
from __future__ import annotations

import unicodedata

SEPARATOR = ", "


def normalised_keywords(text: str) -> str:
    """The keywords of `text` split on commas, stripped, empty ones and repeats dropped,
    rejoined with ", "; "" when none remain."""
    kept: list[str] = []
    seen: set[str] = set()
    for part in text.split(","):
        word = part.strip()
        key = word.casefold()
        if word and key not in seen:
            seen.add(key)
            kept.append(word)
    return SEPARATOR.join(kept)


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a control character (NUL, a line break, a tab ...): none belongs
    in a one-line text such as a group's name or a keyword list."""
    return any(unicodedata.category(character) == "Cc" for character in text)

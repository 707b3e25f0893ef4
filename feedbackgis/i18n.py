"""The service languages and how a request picks one."""
from __future__ import annotations

import unicodedata

from flask import current_app, request

LANGUAGES = ("fi", "sv", "en")

# The statuses' names, shared by the pages and the emails (neither package imports the other),
# so a resident reads the same word on the follow-up page and in the email about it.
STATUS_TEXTS: dict[str, dict[str, str]] = {
    "status_received": {"fi": "Vastaanotettu", "sv": "Mottagen", "en": "Received"},
    "status_triage": {"fi": "Odottaa ohjausta", "sv": "Väntar på fördelning",
                      "en": "Waiting to be assigned"},
    "status_assigned": {"fi": "Ohjattu käsittelijälle", "sv": "Tilldelad handläggare",
                        "en": "Assigned"},
    "status_in_progress": {"fi": "Työn alla", "sv": "Under arbete", "en": "In progress"},
    "status_resolved": {"fi": "Korjattu", "sv": "Åtgärdad", "en": "Resolved"},
    "status_closed": {"fi": "Suljettu", "sv": "Stängd", "en": "Closed"},
    "status_rejected": {"fi": "Hylätty", "sv": "Avvisad", "en": "Rejected"},
}

# The labels of a report's facts, shared the same way: page and email name them alike.
REPORT_FIELD_TEXTS: dict[str, dict[str, str]] = {
    "field_category": {"fi": "Aihe", "sv": "Ämne", "en": "Topic"},
    "field_status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "field_place": {"fi": "Paikka", "sv": "Plats", "en": "Place"},
    "field_description": {"fi": "Kuvaus", "sv": "Beskrivning", "en": "Description"},
}


def request_language() -> str:
    """`?lang=` when it names a service language, else the best Accept-Language match."""
    asked = request.args.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    default = current_app.config.get("DEFAULT_LANGUAGE", "fi")
    return request.accept_languages.best_match(LANGUAGES) or default


# After z in code point order: Finnish and Swedish both sort å, ä, ö last, in that order.
_NORDIC_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def sort_key(text: str, language: str) -> str:
    """A key that sorts names alphabetically in `language`, ignoring case and other accents.

    Sorting happens in Python because the database's collation may be C, which puts every
    capital before every small letter and Ä before Å.
    """
    folded = text.casefold()
    if language in {"fi", "sv"}:
        folded = folded.translate(_NORDIC_LAST)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

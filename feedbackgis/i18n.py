"""The service languages, how a request picks one, and where their texts live.

Every text a person reads is an English msgid in the gettext catalogs under translations/
(Flask-Babel for pages, babel.support for the emails composed by background jobs). This module
is shared by pages, API and mail. Only request_language and the two Flask-Babel selectors
need a Flask app or request; mail uses none of them.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from babel import Locale
from babel.support import Translations
from flask import current_app, g, has_request_context, request

LANGUAGES = ("fi", "sv", "en")

# translations/<language>/LC_MESSAGES/messages.{po,mo}; `make translations` keeps them current.
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def N_(message: str) -> str:
    """Marks `message` for the catalogs where it is defined (N_ is a keyword of pybabel
    extract); it is translated where it is shown, in the language of that page or email."""
    return message


# The statuses' names, shared by the pages and the emails, so a resident reads the same word
# on the follow-up page and in the email about it.
STATUS_NAMES: dict[str, str] = {
    "received": N_("Received"),
    "triage": N_("Waiting to be assigned"),
    "assigned": N_("Assigned"),
    "in_progress": N_("In progress"),
    "waiting": N_("Waiting"),
    "fixed": N_("Fixed"),
    "closed": N_("Closed"),
    "not_ours": N_("Not ours to fix"),
    "duplicate": N_("Already reported"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
}


# The pages remember a language chosen with ?lang= in this cookie (web/views.py).
LANGUAGE_COOKIE = "lang"


def request_language() -> str:
    """`?lang=` when it names a service language, else the one the resident chose before
    (a cookie), else the best Accept-Language match, else the default."""
    asked = request.args.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    default = current_app.config.get("DEFAULT_LANGUAGE", "fi")
    return request.accept_languages.best_match(LANGUAGES) or default


def page_language() -> str:
    """Flask-Babel's locale selector: the language the web pages picked for this request
    (g.language), the request's own for pages rendered elsewhere (error pages), and the
    default outside a request (a CLI command rendering something)."""
    if not has_request_context():
        return current_app.config.get("DEFAULT_LANGUAGE", "fi")
    return g.get("language") or request_language()


def page_timezone() -> str:
    """Flask-Babel's timezone selector: dates are shown in the municipality's time zone."""
    return current_app.config["TIMEZONE"]


@cache
def catalog(language: str) -> Translations:
    """The compiled catalog of `language`, loaded once per process. A missing one is an
    error, not English in disguise (babel would quietly fall back to the msgids)."""
    if language not in LANGUAGES:
        raise ValueError(f"No texts in language {language!r}; languages are {LANGUAGES}")
    loaded = Translations.load(str(TRANSLATIONS_DIR), [language])
    if not isinstance(loaded, Translations):
        raise FileNotFoundError(f"No compiled catalog for {language!r} in {TRANSLATIONS_DIR}")
    return loaded


@cache
def datetime_pattern(language: str) -> str:
    """A date and time as `language` writes it: the medium date and the short time (no
    seconds), e.g. 1.12.2026 10.05, 1 dec. 2026 10:05, Dec 1, 2026, 10:05 AM. Babel's own
    "short" would give English readers the ambiguous 12/1/26."""
    locale = Locale.parse(language)
    return (locale.datetime_formats["medium"]
            .replace("{1}", locale.date_formats["medium"].pattern)
            .replace("{0}", locale.time_formats["short"].pattern))


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

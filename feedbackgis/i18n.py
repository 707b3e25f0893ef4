"""The service languages and how a request picks one."""
from __future__ import annotations

from flask import current_app, request

LANGUAGES = ("fi", "sv", "en")


def request_language() -> str:
    """`?lang=` when it names a service language, else the best Accept-Language match."""
    asked = request.args.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    default = current_app.config.get("DEFAULT_LANGUAGE", "fi")
    return request.accept_languages.best_match(LANGUAGES) or default

"""An email's texts in the recipient's language, from the pages' own gettext catalogs.

Mail is composed by background jobs, outside any request, so Flask-Babel (whose locale comes
from the request) cannot pick the language: every email names its own, and these callables
translate into it. They return plain strings: the HTML templates escape them like any other
value, the text templates keep them as written. Placeholders are %(name)s, filled from
keyword arguments as Flask-Babel's gettext fills them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel.numbers import format_decimal
from babel.support import Translations

from feedbackgis.i18n import STATUS_NAMES, catalog


@dataclass(frozen=True)
class MailTexts:
    language: str
    translations: Translations

    def gettext(self, message: str, **variables: Any) -> str:
        text = self.translations.ugettext(message)
        return text % variables if variables else text

    def pgettext(self, context: str, message: str, **variables: Any) -> str:
        """gettext of a msgid that means different things in different places."""
        text = self.translations.upgettext(context, message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, n: int, **variables: Any) -> str:
        """The form for `n` (languages differ in how many forms they have). As in
        Flask-Babel, `n` is the placeholder %(num)s, here written the language's way."""
        variables.setdefault("num", format_decimal(n, locale=self.language))
        return self.translations.ungettext(singular, plural, n) % variables

    def status_name(self, status: str) -> str:
        """A report status (its code) in words; the same words as the follow-up page's."""
        return self.gettext(STATUS_NAMES[status])

    def template_callables(self) -> dict[str, Callable[..., str]]:
        """What templates call: the names pybabel extract looks for."""
        return {"_": self.gettext, "gettext": self.gettext, "pgettext": self.pgettext,
                "ngettext": self.ngettext}


@cache
def mail_texts(language: str) -> MailTexts:
    """The texts of `language` (fi, sv or en); ValueError for any other."""
    return MailTexts(language, catalog(language))

"""What page templates use for texts, statuses and dates, all through Flask-Babel.

Flask-Babel installs gettext as Jinja's "newstyle" i18n, which marks every translation as safe
markup. The callables here escape the translation first, so texts stay plain strings escaped
like any other value (as in the emails): a "<" or "&" in a catalog cannot change a page's
markup. Placeholders are filled after escaping, and their values are escaped too.
"""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, get_locale, get_translations, gettext
from markupsafe import Markup, escape

from feedbackgis.i18n import STATUS_NAMES, datetime_pattern


def _gettext(message: str) -> Markup:
    return escape(get_translations().ugettext(message))


def _ngettext(singular: str, plural: str, n: int) -> Markup:
    return escape(get_translations().ungettext(singular, plural, n))


def _pgettext(context: str, message: str) -> Markup:
    return escape(get_translations().upgettext(context, message))


def _npgettext(context: str, singular: str, plural: str, n: int) -> Markup:
    return escape(get_translations().unpgettext(context, singular, plural, n))


def install_plain_text_gettext(app: Flask) -> None:
    """Replace Flask-Babel's template callables; call after babel.init_app (which installs
    its own) and before the first page is rendered."""
    app.jinja_env.install_gettext_callables(
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext,
        newstyle=True,
    )


def status_name(status: str) -> str:
    """A report status (its code) in the page's language; the same words as the emails'."""
    return gettext(STATUS_NAMES[status])


def local_datetime(moment: datetime) -> str:
    """`moment` (UTC when naive) in the municipality's time zone, written the language's way."""
    return format_datetime(moment, datetime_pattern(str(get_locale())))

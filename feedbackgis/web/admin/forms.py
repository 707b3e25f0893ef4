"""What the admin forms share: reading fields, and a service's refusal shown on its field.

A refusal re-renders the form with what was typed, the reason beside the field (in the
page's language, the service's own English detail after it), and nothing stored: the view
rolls the session back before it renders.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import request
from flask_babel import gettext

from feedbackgis.errors import Conflict, InvalidInput, ServiceError
from feedbackgis.extensions import db
from feedbackgis.i18n import N_

# The key of an error that belongs to no field of the form: shown above it.
FORM = "_form"
NOT_MADE = N_("The change was not made. See the form below.")
NUMBER = re.compile(r"[0-9]{1,9}")


def text(name: str) -> str:
    return request.form.get(name, "")


def optional_text(name: str) -> str | None:
    """The field's text, or None when the form has no such field at all."""
    return request.form.get(name)


def checked(name: str) -> bool:
    return request.form.get(name) in {"1", "on", "yes", "true"}


def whole_number(name: str) -> int | None:
    """A whole number typed in the field; None when empty. Anything else is refused on
    the field (never read as "none")."""
    value = request.form.get(name, "").strip()
    if not value:
        return None
    if not NUMBER.fullmatch(value):
        raise InvalidInput(f"{name} must be a whole number.", field=name)
    return int(value)


def lines(name: str) -> list[str]:
    """One value a line (or separated by commas or spaces), empty ones dropped."""
    return [part for part in re.split(r"[\s,;]+", request.form.get(name, "")) if part]


def refusal(exc: ServiceError, messages: Mapping[str, str], *,
            renamed: Mapping[str, str] | None = None,
            **params: object) -> tuple[dict[str, str], int]:
    """The form's errors for a service's refusal, and the page's status; rolls back.

    `messages` are the form's fields and what to do about each (N_ texts, filled with
    `params`); `renamed` maps a service's field to the form's (the service's "party" is the
    form's "default_party"); a refusal on a field the form does not have is shown above it."""
    db.session.rollback()
    field = (exc.field or "").split(".")[0]
    field = (renamed or {}).get(field, field)
    what = messages.get(field)
    errors = {field if what else FORM: (f"{gettext(what, **params)} ({exc.message})" if what
                                        else exc.message)}
    return errors, 409 if isinstance(exc, Conflict) else 422


def form_values(defaults: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows: the values typed when it was sent, else `defaults`."""
    if request.method == "POST":
        return request.form.to_dict()
    return dict(defaults)

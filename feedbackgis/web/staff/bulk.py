"""The inbox's bulk form (POST /staff/bulk): give the checked reports to a person, or
change their status, then back to the inbox as it was, saying what changed and what not.

Each report is checked on its own by the services; the outcome crosses the redirect in the
session (shown once, then dropped). A form that cannot be used (nothing checked, no person
or status chosen) re-renders the inbox with 422 and the field's message.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import current_app, g, redirect, request, session, url_for
from flask_babel import gettext
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from feedbackgis.domain.inbox import PersonFilter
from feedbackgis.errors import InvalidInput, flatten_messages
from feedbackgis.extensions import db
from feedbackgis.models import StaffUser
from feedbackgis.schemas.staff_inbox import load_bulk_action
from feedbackgis.services.staff.assignment import assign_person
from feedbackgis.services.staff.bulk_status import change_statuses
from feedbackgis.services.staff.inbox import inbox_choices
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.inbox import BULK_RESULT_KEY, render_inbox
from feedbackgis.web.staff.inbox_texts import BULK_ERRORS, held_result
from feedbackgis.web.staff.session import current_staff_user, login_required

MAX_QUERY_LENGTH = 2000  # the inbox's own query is far shorter


def _inbox_query() -> MultiDict[str, str]:
    """The inbox's query the form was sent from (a hidden field): kept as parameters only,
    so going back can only ever lead to the inbox."""
    query = request.form.get("query", "")[:MAX_QUERY_LENGTH]
    return MultiDict(parse_qsl(query, keep_blank_values=False))


def _person_id(person: int | PersonFilter, user: StaffUser) -> int | None:
    """The person's id: one of those the form offers this user (as the filters are)."""
    if person is PersonFilter.NOBODY:
        return None
    person_id = user.id if person is PersonFilter.ME else int(person)
    offered = inbox_choices(db.session, user, g.language).people
    if person_id not in {named.id for named in offered}:
        raise InvalidInput(f"{person} is not one of the people offered.", field="person")
    return person_id


def _person_name(person_id: int | None) -> str | None:
    person = db.session.get(StaffUser, person_id) if person_id is not None else None
    return (person.name or person.email) if person is not None else None


def _do(action: dict[str, Any], user: StaffUser) -> dict[str, Any]:
    report_ids = action["report"]
    if action["action"] == "assign":
        person_id = _person_id(action["person"], user)
        result = assign_person(db.session, report_ids, person_id, by=user)
        return held_result("assign", result, name=_person_name(person_id))
    result = change_statuses(db.session, report_ids, action["status"], by=user,
                             time_zone=current_app.config["TIMEZONE"],
                             fix_check_days=current_app.config["FIX_CHECK_DAYS"])
    return held_result("status", result, status=action["status"])


@staff_blueprint.post("/bulk")
@login_required
def bulk_action() -> Any:
    back = _inbox_query()
    try:
        action = load_bulk_action(request.form)
        held = _do(action, current_staff_user())
    except ValidationError as exc:
        return _refused(back, flatten_messages(exc.messages).keys())
    except InvalidInput as exc:
        db.session.rollback()
        return _refused(back, (exc.fields or {exc.field or "_form": []}).keys())
    session[BULK_RESULT_KEY] = held
    target = url_for("staff.inbox")
    pairs = list(back.items(multi=True))
    return redirect(f"{target}?{urlencode(pairs)}" if pairs else target, code=303)


def _refused(back: MultiDict[str, str], fields: Any) -> Any:
    errors = {}
    for name in {field.split(".")[0] for field in fields}:
        errors[name] = gettext(BULK_ERRORS.get(name, BULK_ERRORS["_form"]))
    chosen = frozenset(int(value) for value in request.form.getlist("report")
                       if value.isascii() and value.isdigit() and len(value) <= 9)
    return render_inbox(back, bulk_errors=errors, chosen=chosen, status=422)

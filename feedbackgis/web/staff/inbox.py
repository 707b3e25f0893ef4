"""The staff inbox (/staff/): the reports the user's role may see, filtered, sorted, paged,
on a map, with bulk actions (web/staff/bulk.py).

Everything works without JavaScript: the filters are a GET form, sorting and paging are
links, the bulk form is a POST. The map (static/staff/inbox-map.js) draws the page's
reports from JSON embedded in the page. A filter that cannot be read, or names a party,
zone or person the role is not offered, re-renders the page with 422 and the field's
message.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import g, render_template, request, session
from flask_babel import gettext
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus
from feedbackgis.errors import InvalidInput, flatten_messages
from feedbackgis.extensions import db
from feedbackgis.schemas.staff_inbox import form_values, load_inbox_filter
from feedbackgis.services.staff.inbox import InboxPage, Named, inbox_choices, inbox_page
from feedbackgis.web.map_settings import map_settings
from feedbackgis.web.staff import staff_blueprint
from feedbackgis.web.staff.inbox_links import inbox_url, page_numbers, report_link, sort_columns
from feedbackgis.web.staff.inbox_texts import FILTER_ERRORS, bulk_messages, late_text
from feedbackgis.web.staff.session import current_staff_user, login_required
from feedbackgis.web.texts import status_name

BULK_RESULT_KEY = "staff_bulk_result"  # the last bulk action's outcome, shown once


def map_points(page: InboxPage) -> dict[str, Any]:
    """The page's reports as GeoJSON for the map, with their texts ready to show."""
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
         "properties": {"id": e.report.id, "url": report_link(e.report.id),
                        "category": e.report.category.name(g.language),
                        "status": gettext("Status: %(status)s",
                                          status=status_name(e.report.status)),
                        "late": late_text(e.late_days) if e.late_days is not None else ""}}
        for e in page.entries if e.lon is not None and e.lat is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def _field_errors(messages: dict[str, list[str]]) -> dict[str, str]:
    """Each wrong parameter's message in the page's language ("status.0" is "status")."""
    fields = {name.split(".")[0] for name in messages}
    return {name: gettext(FILTER_ERRORS.get(name, FILTER_ERRORS["_form"])) for name in fields}


def render_inbox(args: MultiDict[str, str], *, bulk_errors: dict[str, str] | None = None,
                 chosen: frozenset[int] = frozenset(), status: int = 200) -> Any:
    """The inbox for the query `args`; a filter that cannot be used gives 422 and says why.
    `bulk_errors`: the bulk form's fields that need fixing (its POST re-renders this, with
    the reports `chosen` still ticked)."""
    user = current_staff_user()
    form = form_values(args)
    try:
        page = inbox_page(db.session, user, load_inbox_filter(args), g.language)
    except ValidationError as exc:
        return _refused_filter(form, flatten_messages(exc.messages))
    except InvalidInput as exc:
        return _refused_filter(form, exc.fields or {exc.field or "_form": [exc.message]})
    return render_template(
        "staff/inbox.html", page=page, choices=page.choices, form=form, errors={},
        bulk_errors=bulk_errors or {}, chosen=chosen, bulk_result=_bulk_result(),
        map_points=map_points(page), map_settings=map_settings(),
        columns=sort_columns(page.filter), query=urlencode(list(args.items(multi=True))),
        **_helpers()), status


def _refused_filter(form: dict[str, Any], messages: dict[str, list[str]]) -> Any:
    choices = inbox_choices(db.session, current_staff_user(), g.language)
    return render_template(
        "staff/inbox.html", page=None, choices=choices, form=form,
        errors=_field_errors(messages), bulk_errors={}, chosen=frozenset(), bulk_result=None,
        map_points=None, map_settings=map_settings(), columns={}, query="",
        **_helpers()), 422


def labelled(items: list[Named], scoped: bool) -> list[tuple[int, str]]:
    """Zones and people as the selects show them: with their party for the roles that see
    every party's (the pattern translated once, not once per option)."""
    if scoped:
        return [(item.id, item.name) for item in items]
    # Without variables gettext leaves the placeholders in: filled here, for each option.
    pattern = gettext("%(name)s (%(party)s)")
    return [(item.id, pattern % {"name": item.name, "party": item.party or ""})
            for item in items]


def _helpers() -> dict[str, Any]:
    return {"inbox_url": inbox_url, "report_link": report_link, "late_text": late_text,
            "page_numbers": page_numbers, "labelled": labelled,
            "statuses": list(ReportStatus), "open_statuses": OPEN_STATUSES}


def _bulk_result() -> dict[str, Any] | None:
    held = session.pop(BULK_RESULT_KEY, None)
    return bulk_messages(held) if isinstance(held, dict) else None


@staff_blueprint.get("/")
@login_required
def inbox() -> Any:
    return render_inbox(request.args)

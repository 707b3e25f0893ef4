"""The managers' pages' shared filter form (templates/figures/_filters.html): a period of
whole months and a category, party and zone, read by schemas/figures.load_figure_filters.

    context = filter_context(db.session, user, filters, url_for("staff.dashboard"))
    render_template("figures/page.html", **context)  # the template includes the form

On a refused filter, pass filters=None with the query's raw values and the messages of
filter_errors(), and the form shows what was typed, each wrong field marked and described.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app, g
from flask_babel import gettext
from sqlalchemy.orm import Session

from feedbackgis.domain.months import current_month
from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.i18n import N_
from feedbackgis.models import StaffUser
from feedbackgis.schemas.figures import figure_filters_query
from feedbackgis.services.analytics.access import figures_scope
from feedbackgis.services.analytics.choices import figure_choices
from feedbackgis.services.analytics.dashboard import FigureFilters
from feedbackgis.web.staff.inbox import labelled

FIELDS = ("from", "to", "category", "party", "zone")
# What the form says next to a filter that cannot be used (the 422 page's messages).
FILTER_ERRORS = {
    "from": N_("Give the first month as YYYY-MM, at most 120 months before the last."),
    "to": N_("Give the last month as YYYY-MM, not before the first month."),
    "category": N_("Choose a category from the list."),
    "party": N_("Choose a party from the list."),
    "zone": N_("Choose a zone from the list."),
    "_form": N_("The filters could not be used as they are. Check them."),
}


@dataclass(frozen=True)
class FilterForm:
    action: str
    values: dict[str, str]  # each field's value as the form shows it ("" for every one)
    categories: list[tuple[int, str]]
    parties: list[tuple[int, str]]  # empty when the party is fixed
    zones: list[tuple[int, str]]
    fixed_party: str | None  # a party's staff: their party's name, shown as text
    errors: dict[str, str] = field(default_factory=dict)


def this_month() -> date:
    """The month it is now in the municipality's time zone: the filters' default last one."""
    return current_month(datetime.now(UTC), current_app.config["TIMEZONE"])


def scope_note(scope: StatisticsScope, asked_party: str | None) -> str | None:
    """What a party's staff are told: the figures are their party's only."""
    if scope.party_id is None:
        return None
    if asked_party not in (None, "", str(scope.party_id)):
        return gettext("Your role sees the figures of its own party only, so these are "
                       "your party's, not those of the party asked for.")
    return gettext("Your role sees the figures of its own party only.")


def filter_errors(messages: Mapping[str, Any]) -> dict[str, str]:
    """Each wrong parameter's message in the page's language, from a ValidationError's."""
    names = {str(name).split(".")[0] for name in messages}
    return {name if name in FILTER_ERRORS else "_form":
            gettext(FILTER_ERRORS.get(name, FILTER_ERRORS["_form"])) for name in names}


def filter_context(session: Session, user: StaffUser, filters: FigureFilters | None,
                   action_url: str, *, raw: Mapping[str, str] | None = None,
                   errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The template's `filter_form`: the values of `filters` (or the `raw` query when they
    were refused) and the choices the user's scope offers."""
    scope = figures_scope(user)
    choices = figure_choices(session, scope, g.language)
    if filters is not None:
        values = figure_filters_query(filters.within(scope))
    else:
        values = {name: str(raw.get(name, "")) for name in FIELDS} if raw else {}
    scoped = choices.fixed_party is not None
    return {"filter_form": FilterForm(
        action=action_url,
        values={name: values.get(name, "") for name in FIELDS},
        categories=[(c.id, c.name) for c in choices.categories],
        parties=[] if scoped else [(p.id, p.name) for p in choices.parties],
        zones=labelled(choices.zones, scoped),
        fixed_party=choices.fixed_party.name if choices.fixed_party else None,
        errors=errors or {})}

"""What the figures' filters offer a user: every category (named in the page's language),
the parties (units and contractors) and the zones; a party's own staff are offered their
party only, and its zones."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import StatisticsScope
from feedbackgis.i18n import sort_key
from feedbackgis.models import Category
from feedbackgis.repositories import staff_inbox
from feedbackgis.repositories.staff_inbox import Named


@dataclass(frozen=True)
class FigureChoices:
    categories: list[Named]  # in the alphabetical order of the page's language
    parties: list[Named]  # only the user's own for a party's staff
    zones: list[Named]  # with their party's name
    fixed_party: Named | None  # the one party a party's staff see, else None


def figure_choices(session: Session, scope: StatisticsScope, language: str) -> FigureChoices:
    categories = sorted(session.scalars(select(Category)),
                        key=lambda c: (sort_key(c.name(language), language), c.id))
    parties = staff_inbox.parties(session)
    fixed = None
    if scope.party_id is not None:
        parties = [party for party in parties if party.id == scope.party_id]
        fixed = parties[0] if parties else Named(scope.party_id, str(scope.party_id))
    return FigureChoices(
        categories=[Named(c.id, c.name(language)) for c in categories],
        parties=parties, zones=staff_inbox.zones_of(session, scope.party_id),
        fixed_party=fixed)

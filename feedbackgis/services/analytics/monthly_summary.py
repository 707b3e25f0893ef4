"""The monthly summaries: what each says and to whom it goes.

One summary is the whole municipality's, for the active managers and admins; one is each
active party's, for the party's own addresses (in party.language) and its active handlers
(in their own language). A party's figures go to nobody outside that party. The figures
are the dashboard's (dashboard_figures for that one month, and the month before), so the
email and the page never disagree.

A party without reports in the month and in the month before gets no summary (nothing
happened to tell of); one without reports in the month only gets the short form, which
says so and compares with the month before.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.months import add_months, current_month
from feedbackgis.domain.permissions import Role, StatisticsScope
from feedbackgis.i18n import LANGUAGES
from feedbackgis.mail.links import Links
from feedbackgis.mail.monthly_summary_mail import (
    CategoryCount,
    DensityLegend,
    KeyFigures,
    SummaryFacts,
    SummaryMapImage,
)
from feedbackgis.models import Party, StaffUser
from feedbackgis.services.analytics.dashboard import FigureFilters, FigureLine, dashboard_figures
from feedbackgis.services.analytics.summary_map import SummaryMap

TOP_CATEGORIES = 5
MUNICIPALITY = "all"  # the key of the whole municipality's summary


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


@dataclass(frozen=True)
class SummaryPlan:
    """One summary (the municipality's: party_id None) and who receives it."""

    party_id: int | None
    party_name: str | None
    recipients: tuple[Recipient, ...]

    @property
    def key(self) -> str:
        return MUNICIPALITY if self.party_id is None else f"party-{self.party_id}"


def previous_month(now: datetime, time_zone: str) -> date:
    """The month before the one `now` is in, in the municipality's time zone."""
    return add_months(current_month(now, time_zone), -1)


def _language(value: str | None) -> str:
    return value if value in LANGUAGES else "fi"


def _unique(recipients: list[Recipient]) -> tuple[Recipient, ...]:
    """One copy an address (its first language wins: a person's own before the party's)."""
    seen: dict[str, Recipient] = {}
    for each in recipients:
        seen.setdefault(each.email.strip().lower(), each)
    return tuple(seen.values())


def summary_plans(session: Session) -> list[SummaryPlan]:
    """The municipality's summary and every active party's, with their recipients (plans
    without recipients left out)."""
    staff = session.scalars(select(StaffUser).where(StaffUser.active.is_(True))
                            .order_by(StaffUser.id)).all()
    managers = [Recipient(u.email, _language(u.language)) for u in staff
                if u.role in (Role.MANAGER, Role.ADMIN)]
    plans = [SummaryPlan(None, None, _unique(managers))]
    parties = session.scalars(select(Party).where(Party.active.is_(True))
                              .order_by(Party.name)).all()
    for party in parties:
        handlers = [Recipient(u.email, _language(u.language)) for u in staff
                    if u.role is Role.HANDLER and u.party_id == party.id]
        addresses = [Recipient(email, _language(party.language)) for email in party.emails]
        plans.append(SummaryPlan(party.id, party.name, _unique(handlers + addresses)))
    return [plan for plan in plans if plan.recipients]


def key_figures(line: FigureLine) -> KeyFigures:
    return KeyFigures(
        reports=line.counts["reports"], fixed=line.fixed.reports,
        response_median=line.response.median, response_p90=line.response.p90,
        fixed_median=line.fixed.median, fixed_p90=line.fixed.p90,
        on_time_share=line.on_time_share, reopen_rate=line.reopen_rate)


@dataclass(frozen=True)
class MonthFigures:
    """A summary's figures in one language, before they are written out."""

    this: FigureLine
    before: FigureLine
    categories: tuple[CategoryCount, ...]

    @property
    def nothing_to_tell(self) -> bool:
        return not self.this.counts["reports"] and not self.before.counts["reports"]


def month_figures(session: Session, month: date, party_id: int | None,
                  language: str) -> MonthFigures:
    """The dashboard's figures of `month` and of the month before (of one party, or all)."""
    scope = StatisticsScope(party_id=party_id)
    this = dashboard_figures(session, FigureFilters(month, month), scope, language)
    earlier = add_months(month, -1)
    before = dashboard_figures(session, FigureFilters(earlier, earlier), scope, language)
    before_by_key = {line.key: line.counts["reports"] for line in before.by_category}
    categories = tuple(
        CategoryCount(line.label, line.counts["reports"], before_by_key.get(line.key, 0))
        for line in this.by_category[:TOP_CATEGORIES])
    return MonthFigures(this.total, before.total, categories)


def map_image(found: SummaryMap | None) -> SummaryMapImage | None:
    if found is None:
        return None
    classes = tuple(DensityLegend(each.colour, each.low, each.high) for each in found.classes)
    return SummaryMapImage(found.png, found.width, found.height, found.reports_shown,
                           found.scale_m, found.cell_m, classes)


def dashboard_url(links: Links, month: date, party_id: int | None, language: str) -> str:
    query = {"from": month.isoformat()[:7], "to": month.isoformat()[:7]}
    if party_id is not None:
        query["party"] = str(party_id)
    return links.absolute("/staff/dashboard?" + urlencode({**query, "lang": language}))


def summary_facts(plan: SummaryPlan, month: date, figures: MonthFigures,
                  image: SummaryMapImage | None, url: str) -> SummaryFacts:
    return SummaryFacts(month=month, party=plan.party_name, this=key_figures(figures.this),
                        before=key_figures(figures.before), categories=figures.categories,
                        map=image, dashboard_url=url)

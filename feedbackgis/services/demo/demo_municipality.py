"""seed_demo: a demo municipality, Esimerkkilä, to try the service on.

Idempotent: parties and categories (with their descriptions, groups, keywords and questions,
demo_form.py) are added when missing, the service area and the demo parties' zones are
replaced from the files in feedbackgis/demo/ (EPSG:3067), so running it again leaves the
same data. Half a year of
reports with their histories (demo_reports.py) go into a database without reports, and the
managers' figures are counted again at the end.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.due_dates import DEFAULT_TIME_ZONE
from feedbackgis.models import Category, Party, PartyKind, PublishPolicy
from feedbackgis.services.analytics.refresh import refresh_all_figures
from feedbackgis.services.catalog.parties_and_categories import (
    CategoryFields,
    add_category,
    add_party,
)
from feedbackgis.services.demo.demo_form import (
    ensure_descriptions,
    ensure_groups_and_keywords,
    ensure_questions,
)
from feedbackgis.services.demo.demo_reports import reattach_zones, seed_demo_reports
from feedbackgis.services.zones.service_area_import import import_service_area
from feedbackgis.services.zones.zone_import import ZoneImportOptions, import_zones

DEMO_DATA = Path(__file__).resolve().parents[2] / "demo"

PARTIES = [
    ("Katujen kunnossapito", PartyKind.UNIT, "katujen.kunnossapito@esimerkkila.example"),
    ("Puistopalvelut", PartyKind.UNIT, "puistot@esimerkkila.example"),
    ("Alueurakka Itä Oy", PartyKind.CONTRACTOR, "tyonjohto@alueurakka-ita.example"),
    ("Valaistus Oy", PartyKind.CONTRACTOR, "viat@valaistus.example"),
]

_IMMEDIATE, _MODERATED = PublishPolicy.IMMEDIATE, PublishPolicy.MODERATED
CATEGORIES = [
    ("streetlight", "Katuvalo", "Gatubelysning", "Streetlight", _IMMEDIATE, False),
    ("pothole", "Kuoppa tiessä", "Grop i vägen", "Pothole", _IMMEDIATE, False),
    ("snow", "Auraus ja liukkaus", "Snöröjning och halka", "Snow and ice", _IMMEDIATE, False),
    ("litter", "Roskaantuminen", "Nedskräpning", "Litter", _IMMEDIATE, False),
    ("park", "Puistot ja leikkipaikat", "Parker och lekplatser", "Parks and playgrounds",
     _IMMEDIATE, False),
    ("graffiti", "Töhryt", "Klotter", "Graffiti", _MODERATED, False),
    ("other", "Muu palaute", "Annan respons", "Other feedback", _MODERATED, True),
]
DEFAULT_PARTY = "Katujen kunnossapito"


@dataclass(frozen=True)
class DemoSummary:
    parties_added: int
    categories_added: int
    zones: int
    area_km2: float
    questions_added: int = 0
    reports_added: int = 0


def _ensure_parties(session: Session) -> int:
    existing = set(session.scalars(select(Party.name)))
    missing = [p for p in PARTIES if p[0] not in existing]
    for name, kind, email in missing:
        add_party(session, name, kind, [email])
    return len(missing)


def _ensure_categories(session: Session) -> int:
    existing = set(session.scalars(select(Category.code)))
    missing = [c for c in CATEGORIES if c[0] not in existing]
    for code, fi, sv, en, policy, share in missing:
        add_category(session, code, CategoryFields(fi, sv, en, DEFAULT_PARTY, policy, share))
    return len(missing)


def seed_demo(session: Session, *, secret_key: str | None = None,
              time_zone: str = DEFAULT_TIME_ZONE, now: datetime | None = None) -> DemoSummary:
    """`secret_key`: the app's, from which the demo reports' follow-up tokens derive (none:
    a throwaway one, so that no follow-up link opens them)."""
    parties_added = _ensure_parties(session)
    categories_added = _ensure_categories(session)
    ensure_descriptions(session)
    ensure_groups_and_keywords(session)
    questions_added = ensure_questions(session)
    area = import_service_area(session, DEMO_DATA / "area.geojson", name="Esimerkkilä")
    zones = import_zones(
        session, DEMO_DATA / "zones.geojson",
        ZoneImportOptions(party_field="party", categories_field="categories",
                          priority_field="priority", name_field="name", replace=True),
    )
    reattach_zones(session)
    reports_added = seed_demo_reports(session, secret_key=secret_key or secrets.token_urlsafe(),
                                      time_zone=time_zone,
                                      now=now or datetime.now(UTC))
    refresh_all_figures(session, time_zone)  # commits
    return DemoSummary(parties_added, categories_added, zones.imported, area.area_km2,
                       questions_added, reports_added)

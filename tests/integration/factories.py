"""Small builders for rows the tests need; each flushes so ids are known."""
from __future__ import annotations

import itertools
from datetime import UTC, datetime

import shapely
from sqlalchemy.orm import Session

from config import config_for_tests
from feedbackgis.domain.statuses import ReportStatus
from feedbackgis.domain.tokens import derive_token, hash_token, new_nonce
from feedbackgis.geo.convert import as_multipolygon, point, to_db
from feedbackgis.models import (
    Category,
    Party,
    PartyKind,
    PublishPolicy,
    Report,
    ReporterContact,
    ReportFollower,
    ServiceArea,
    Zone,
)
from feedbackgis.services.reports.submission import follow_up_token

SECRET_KEY = config_for_tests()["SECRET_KEY"]
_seq = itertools.count(1)


def make_party(session: Session, name: str | None = None, *, kind: PartyKind = PartyKind.UNIT,
               active: bool = True, emails: list[str] | None = None) -> Party:
    party = Party(kind=kind, name=name or f"Party {next(_seq)}", active=active,
                  emails=emails or [])
    session.add(party)
    session.flush()
    return party


def make_category(session: Session, code: str | None = None, *,
                  default_party: Party | None = None, active: bool = True,
                  publish_policy: PublishPolicy = PublishPolicy.IMMEDIATE,
                  share_contact_with_party: bool = False) -> Category:
    code = code or f"category-{next(_seq)}"
    category = Category(
        code=code, name_fi=f"{code} fi", name_sv=f"{code} sv", name_en=f"{code} en",
        default_party_id=default_party.id if default_party else None, active=active,
        publish_policy=publish_policy, share_contact_with_party=share_contact_with_party,
    )
    session.add(category)
    session.flush()
    return category


def make_zone(session: Session, party: Party, geometry: shapely.Geometry, *, priority: int = 0,
              categories: list[Category] | None = None, name: str | None = None,
              valid_from: datetime | None = None, valid_to: datetime | None = None) -> Zone:
    """A zone from a shapely geometry in EPSG:4326 (lon, lat)."""
    zone = Zone(
        party_id=party.id, name=name or f"Zone {next(_seq)}", source="test",
        geom=to_db(as_multipolygon(geometry)), priority=priority,
        all_categories=categories is None, categories=categories or [],
        valid_from=valid_from, valid_to=valid_to,
    )
    session.add(zone)
    session.flush()
    session.refresh(zone)  # area_m2 is set by a database trigger
    return zone


def make_service_area(session: Session, geometry: shapely.Geometry,
                      name: str = "Test municipality") -> ServiceArea:
    area = ServiceArea(name=name, geom=to_db(as_multipolygon(geometry)))
    session.add(area)
    session.flush()
    return area


def make_report(session: Session, category: Category, *, party: Party | None = None,
                lon: float | None = 24.9384, lat: float | None = 60.1699,
                address: str | None = None, description: str = "Katuvalo ei pala",
                language: str = "fi", public: bool = True,
                contact: dict[str, str] | None = None) -> Report:
    """A report as submit_report leaves it (assigned to `party` if given), without routing.

    `contact`: ReporterContact fields, e.g. {"name": ..., "email": ..., "phone": ...}.
    Its follow-up token is follow_up_token(report, SECRET_KEY).
    """
    report = Report(
        category=category, category_id=category.id,
        location=to_db(point(lon, lat)) if lon is not None and lat is not None else None,
        address=address, description=description, language=language,
        status=ReportStatus.ASSIGNED if party else ReportStatus.TRIAGE,
        assigned_party_id=party.id if party else None, is_public=public,
        follow_up_nonce=new_nonce(),
    )
    report.follow_up_token_hash = hash_token(follow_up_token(report, SECRET_KEY))
    session.add(report)
    session.flush()
    if contact is not None:
        session.add(ReporterContact(report_id=report.id, **contact))
        session.flush()
    return report


def make_follower(session: Session, report: Report, email: str | None = None, *,
                  language: str = "fi", confirmed: bool = True) -> ReportFollower:
    """A follower whose tokens derive from SECRET_KEY ("confirm", "unsubscribe")."""
    nonce = new_nonce()
    follower = ReportFollower(
        report_id=report.id, email=email or f"seuraaja{next(_seq)}@example.fi",
        language=language, token_nonce=nonce,
        confirm_token_hash=hash_token(derive_token(SECRET_KEY, "confirm", nonce)),
        unsubscribe_token_hash=hash_token(
            derive_token(SECRET_KEY, "unsubscribe", nonce)),
        confirmed_at=datetime.now(UTC) if confirmed else None,
    )
    session.add(follower)
    session.flush()
    return follower

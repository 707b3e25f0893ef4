"""Area subscriptions: subscribe (confirmed by email first), confirm, unsubscribe, purge;
the confirmation email. The daily digest lives in services/digests.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.limits import SUBSCRIPTION_AREA_MAX_KM2, SUBSCRIPTION_AREA_MAX_VERTICES
from feedbackgis.errors import InvalidInput
from feedbackgis.geo.areas import (
    OutsideMetricCrs,
    circle_around,
    geodesic_area_m2,
    invalidity_reason,
    vertex_count,
)
from feedbackgis.geo.convert import from_db, to_db
from feedbackgis.geo.crs import crs_from_user_input
from feedbackgis.mail.links import Links
from feedbackgis.mail.smtp import SmtpSettings
from feedbackgis.mail.subscription_mail import area_confirmation_email
from feedbackgis.models import AreaSubscription, OutboxTopic, ReportFollower
from feedbackgis.repositories.zones import service_area_intersects
from feedbackgis.services.notifications.delivery import deliver_once
from feedbackgis.services.outbox import record_side_effect
from feedbackgis.services.subscriptions.digests import send_daily_digests
from feedbackgis.services.subscriptions.email_confirmation import (
    confirm_by_token,
    confirmation_key,
    delete_by_unsubscribe_token,
    delete_unconfirmed,
    find_by_unsubscribe_token,
    normalise_email,
    token_columns,
)

__all__ = [
    "Circle", "NewAreaSubscription", "confirm_subscription", "find_subscription_to_unsubscribe",
    "purge_unconfirmed", "send_daily_digests", "send_subscription_confirmation",
    "subscribe_to_area", "unsubscribe_subscription",
]

# Unconfirmed subscriptions one address may have at a time. Beyond it a request is answered
# as always but stored and mailed no more: nobody can flood an inbox with confirmations.
PENDING_PER_ADDRESS = 3


@dataclass(frozen=True)
class Circle:
    lon: float
    lat: float
    radius_m: float


@dataclass(frozen=True)
class NewAreaSubscription:
    email: str
    language: str
    area: shapely.Polygon | Circle  # lon, lat degrees


def subscription_polygon(area: shapely.Polygon | Circle, metric_srid: int) -> shapely.Polygon:
    if isinstance(area, Circle):
        try:
            return circle_around(area.lon, area.lat, area.radius_m,
                                 crs_from_user_input(metric_srid))
        except OutsideMetricCrs:
            # Far from the municipality, so it cannot touch the service area either.
            raise InvalidInput("The area is outside the municipality's service area.",
                               field="area") from None
    return area


def check_subscription_area(session: Session, polygon: shapely.Polygon) -> None:
    """Refuse, naming the field "area", a polygon that is not valid (never repaired behind
    the resident's back), too detailed, too large, or outside the service area."""
    vertices = vertex_count(polygon)
    if vertices > SUBSCRIPTION_AREA_MAX_VERTICES:
        raise InvalidInput(f"The area has {vertices} vertices; at most "
                           f"{SUBSCRIPTION_AREA_MAX_VERTICES} are allowed.", field="area")
    reason = invalidity_reason(polygon)
    if reason is not None:
        raise InvalidInput(f"The area is not a valid polygon ({reason}). Draw it again so "
                           "that its edges do not cross.", field="area")
    km2 = geodesic_area_m2(polygon) / 1e6
    if km2 > SUBSCRIPTION_AREA_MAX_KM2:
        raise InvalidInput(f"The area is {km2:,.0f} km²; at most {SUBSCRIPTION_AREA_MAX_KM2:,} "
                           "km² is allowed.", field="area")
    if not service_area_intersects(session, to_db(polygon)):
        raise InvalidInput("The area is outside the municipality's service area.",
                           field="area")


def _pending_for_address(session: Session, email: str) -> int:
    query = select(func.count()).select_from(AreaSubscription).where(
        AreaSubscription.email == email, AreaSubscription.confirmed_at.is_(None)
    )
    return session.scalar(query) or 0


def subscribe_to_area(session: Session, new: NewAreaSubscription, *, secret_key: str,
                      metric_srid: int) -> AreaSubscription | None:
    """Store an unconfirmed subscription and record that its confirmation must be mailed;
    then commit. None when the address has too many pending already (nothing stored)."""
    polygon = subscription_polygon(new.area, metric_srid)
    check_subscription_area(session, polygon)
    email = normalise_email(new.email)
    if _pending_for_address(session, email) >= PENDING_PER_ADDRESS:
        session.rollback()
        return None
    subscription = AreaSubscription(
        email=email, language=new.language, area=to_db(polygon), digest_since=func.now(),
        **token_columns(secret_key),
    )
    session.add(subscription)
    session.flush()
    record_side_effect(session, OutboxTopic.AREA_SUBSCRIPTION_CREATED,
                       subscription_id=subscription.id)
    session.commit()
    return subscription


def confirm_subscription(session: Session, token: str, now: datetime) -> AreaSubscription:
    """Confirm and commit; the first digest lists reports from the confirmation on."""
    confirmation = confirm_by_token(session, AreaSubscription, token, now)
    if confirmation.newly_confirmed:
        confirmation.row.digest_since = now
    session.commit()
    return confirmation.row


def find_subscription_to_unsubscribe(session: Session, token: str) -> AreaSubscription:
    return find_by_unsubscribe_token(session, AreaSubscription, token)


def unsubscribe_subscription(session: Session, token: str) -> None:
    """Delete the subscription with its address; NotFound for an unknown token."""
    delete_by_unsubscribe_token(session, AreaSubscription, token)


def purge_unconfirmed(session: Session, now: datetime) -> int:
    """Delete subscriptions and followers left unconfirmed for CONFIRMATION_VALID; commit.
    Returns how many rows went."""
    purged = sum(delete_unconfirmed(session, model, now)
                 for model in (AreaSubscription, ReportFollower))
    session.commit()
    return purged


def send_subscription_confirmation(session: Session, smtp: SmtpSettings, links: Links, *,
                                   subscription_id: int) -> int:
    """Email the confirmation link (once per request for it); 1 if sent now, else 0.

    Nothing is sent for a subscription that is gone (unsubscribed, purged) or confirmed."""
    subscription = session.get(AreaSubscription, subscription_id)
    if subscription is None or subscription.confirmed_at is not None:
        session.rollback()
        return 0
    area_km2 = geodesic_area_m2(from_db(subscription.area)) / 1e6
    # Composed before deliver_once commits: the message needs nothing loaded afterwards.
    email = area_confirmation_email(links, subscription, area_km2)
    sent = deliver_once(
        session, smtp, key=confirmation_key(subscription), kind="area_subscription_confirmation",
        recipient=email.to, language=email.language, report_id=None, compose=lambda: email,
    )
    return int(sent)

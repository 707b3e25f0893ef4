"""Queries over area subscriptions: which public reports fall inside a subscriber's area."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.models import AreaSubscription, Report


def public_reports_for_digest(
    session: Session, subscription_id: int, since: datetime, until: datetime
) -> list[Report]:
    """Reports published in (since, until] whose point lies inside (or on the edge of)
    the subscription's area, oldest first. The report.location GiST index finds them."""
    query = (
        select(Report)
        .join(AreaSubscription, func.ST_Covers(AreaSubscription.area, Report.location))
        .where(
            AreaSubscription.id == subscription_id,
            Report.is_public,
            Report.published_at > since,
            Report.published_at <= until,
        )
        .order_by(Report.published_at, Report.id)
    )
    return list(session.scalars(query))


def confirmed_subscription_ids(session: Session) -> list[int]:
    query = (
        select(AreaSubscription.id)
        .where(AreaSubscription.confirmed_at.is_not(None))
        .order_by(AreaSubscription.id)
    )
    return list(session.scalars(query))

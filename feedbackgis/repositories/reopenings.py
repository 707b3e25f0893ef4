"""Reopenings per party: how often residents said "not fixed" of what a party had fixed.

Counted from the REOPENED events, each naming the party the report was reopened to (the one
that had fixed it), so a report given to another party later still counts against the first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from feedbackgis.models import EventKind, Party, ReportEvent


@dataclass(frozen=True)
class PartyReopenings:
    party_id: int
    party: str
    reopenings: int  # "not fixed" answers
    reports: int  # distinct reports they were about


def reopenings_per_party(session: Session, since: datetime | None = None,
                         party_id: int | None = None) -> list[PartyReopenings]:
    """Parties with at least one reopening (since `since`), the most reopened first."""
    reopened_to = cast(ReportEvent.data["party_id"].astext, Integer)
    reopenings = func.count(ReportEvent.id)
    query = (select(Party.id, Party.name, reopenings,
                    func.count(ReportEvent.report_id.distinct()))
             .join(Party, Party.id == reopened_to)
             .where(ReportEvent.kind == EventKind.REOPENED)
             .group_by(Party.id, Party.name)
             .order_by(reopenings.desc(), Party.name))
    if since is not None:
        query = query.where(ReportEvent.created_at >= since)
    if party_id is not None:
        query = query.where(reopened_to == party_id)
    return [PartyReopenings(party_id=row[0], party=row[1], reopenings=row[2], reports=row[3])
            for row in session.execute(query)]

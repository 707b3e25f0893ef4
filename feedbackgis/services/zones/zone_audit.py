"""Zone changes in the admin audit trail: one entry per party whose zones changed.

A party's zones change as a set (an import adds or replaces them, a delete removes them),
so the trail records the set: entity "zone" with the party's id, the count of its zones
before and after, and the file they came from.
"""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.models import Zone
from feedbackgis.services.admin.audit import ChangeActor, Entity, record_change


def zone_counts(session: Session, parties: Mapping[str, int]) -> dict[str, int]:
    """The zones each party has now (party name -> count), in name order."""
    if not parties:
        return {}
    counts = dict(session.execute(
        select(Zone.party_id, func.count()).where(Zone.party_id.in_(list(parties.values())))
        .group_by(Zone.party_id)
    ).all())
    return {name: counts.get(party_id, 0) for name, party_id in sorted(parties.items())}


def record_zone_changes(
    session: Session, actor: ChangeActor, action: str, parties: Mapping[str, int],
    before: Mapping[str, int], *, source: str | None = None,
) -> None:
    """Record, for each party, its zone count `before` and now (in the same transaction);
    the entry's id is the party's, and `source` the file the zones came from."""
    after = zone_counts(session, parties)
    for name, party_id in sorted(parties.items()):
        record_change(
            session, actor, Entity.ZONE, party_id, action, {"zones": before.get(name, 0)},
            {"zones": after.get(name, 0), **({"source": source} if source else {})},
        )

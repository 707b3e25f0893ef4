"""When a credential (a contractor's API token, an Open311 API key) was last used.

last_used_at tells an admin whether a credential is still in use: a minute is precise
enough, and spares a write on every request of a busy system.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

LAST_USED_PRECISION = timedelta(minutes=1)


def note_use(session: Session, model: Any, row: Any) -> None:
    """Set `row.last_used_at` (a row of `model`) to now when the last use is over a minute
    old; commits when it wrote."""
    now = datetime.now(UTC)
    if row.last_used_at is not None and row.last_used_at > now - LAST_USED_PRECISION:
        return
    # Conditional, so that many requests at once write it once, not each.
    result = session.execute(
        update(model)
        .where(model.id == row.id,
               or_(model.last_used_at.is_(None), model.last_used_at <= now - LAST_USED_PRECISION))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount:
        session.commit()
    else:
        session.rollback()

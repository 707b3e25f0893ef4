"""The signed-in contractor's open work orders, a page at a time, for the list and the map."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackgis.domain.inbox import days_late, is_overdue
from feedbackgis.models import Category, Party, StaffUser
from feedbackgis.repositories.work_orders import (
    WorkOrderRow,
    count_open_work_orders,
    open_work_orders,
)
from feedbackgis.services.work_orders.access import holder_of_user

PAGE_SIZE = 50


@dataclass(frozen=True)
class WorkOrderEntry:
    row: WorkOrderRow
    category: str  # its name in the page's language
    late_days: int | None  # days past its due date, when it is late


@dataclass(frozen=True)
class WorkOrderList:
    party: Party
    entries: list[WorkOrderEntry]
    total: int
    page: int
    near: tuple[float, float] | None  # lon, lat of the phone, when it told

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


def work_order_list(session: Session, user: StaffUser, *, language: str,
                    near: tuple[float, float] | None = None, page: int = 1,
                    now: datetime | None = None) -> WorkOrderList:
    """Forbidden for anyone but a contractor's account (holder_of_user)."""
    holder = holder_of_user(user)
    now = now or datetime.now(UTC)
    total = count_open_work_orders(session, holder.party_id)
    page = min(max(page, 1), max(1, math.ceil(total / PAGE_SIZE)))
    rows = open_work_orders(session, holder.party_id, near=near, limit=PAGE_SIZE,
                            offset=(page - 1) * PAGE_SIZE)
    names = _category_names(session, {row.category_id for row in rows}, language)
    entries = [WorkOrderEntry(row, names.get(row.category_id, ""), _late(row, now))
               for row in rows]
    return WorkOrderList(party=session.get(Party, holder.party_id), entries=entries,
                         total=total, page=page, near=near)


def _late(row: WorkOrderRow, now: datetime) -> int | None:
    if row.due_at is None or not is_overdue(row.status, row.due_at, now):
        return None
    return days_late(row.due_at, now)


def _category_names(session: Session, ids: set[int], language: str) -> dict[int, str]:
    if not ids:
        return {}
    return {category.id: category.name(language)
            for category in session.scalars(select(Category).where(Category.id.in_(ids)))}

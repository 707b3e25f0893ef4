"""The staff inbox's rules: what it filters and sorts by, and how late a report is.

Pure values: the schema (schemas/staff_inbox.py) reads a filter from the page's query,
the service (services/staff/inbox.py) checks its choices against what the role may see,
and the repository (repositories/staff_inbox.py) turns it into SQL.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from feedbackgis.domain.statuses import OPEN_STATUSES, ReportStatus

PAGE_SIZE = 50
# A hundred years of reports; the page beyond which nobody pages by hand (500,000 reports).
MAX_AGE_DAYS = 36_500
MAX_PAGE = 10_000
# The bulk form has a checkbox per row of a page; more ids than that is not the form.
MAX_BULK_REPORTS = 200


class InboxSort(enum.StrEnum):
    RECEIVED = "received"
    DUE = "due"
    UPDATED = "updated"
    STATUS = "status"  # in the state machine's order, not alphabetically
    CATEGORY = "category"  # by the category's name in the page's language


class SortOrder(enum.StrEnum):
    ASC = "asc"
    DESC = "desc"


# The direction a column sorts in when first clicked: newest first, soonest due first.
NATURAL_ORDER: dict[InboxSort, SortOrder] = {
    InboxSort.RECEIVED: SortOrder.DESC,
    InboxSort.DUE: SortOrder.ASC,
    InboxSort.UPDATED: SortOrder.DESC,
    InboxSort.STATUS: SortOrder.ASC,
    InboxSort.CATEGORY: SortOrder.ASC,
}


class PersonFilter(enum.StrEnum):
    """The assigned-person filter's words besides a person's id."""

    ME = "me"
    NOBODY = "nobody"


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows. Without statuses chosen, the open ones (the work to do)."""

    statuses: frozenset[ReportStatus] = field(default=OPEN_STATUSES)
    category_id: int | None = None
    zone_id: int | None = None
    party_id: int | None = None
    # Received at least min_age_days ago, at most max_age_days ago (whole days).
    min_age_days: int | None = None
    max_age_days: int | None = None
    overdue_only: bool = False
    # A staff user's id, PersonFilter.ME or PersonFilter.NOBODY; None: anyone or nobody.
    person: int | PersonFilter | None = None
    sort: InboxSort = InboxSort.RECEIVED
    order: SortOrder = SortOrder.DESC
    page: int = 1

    def on_page(self, page: int) -> InboxFilter:
        return replace(self, page=page)


def is_overdue(status: ReportStatus, due_at: datetime | None, now: datetime) -> bool:
    """Past its due date and not yet dealt with (a fixed or closed report is never late)."""
    return status in OPEN_STATUSES and due_at is not None and due_at < now


def days_late(due_at: datetime, now: datetime) -> int:
    """Whole days past the due date (calendar days): 0 during the first day."""
    return max(0, (now - due_at).days)

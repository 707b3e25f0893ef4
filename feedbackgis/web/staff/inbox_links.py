"""The inbox's links: to a filter (its query kept), to a sort, to a report's page."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, url_for
from flask_babel import gettext

from feedbackgis.domain.inbox import NATURAL_ORDER, InboxFilter, SortOrder
from feedbackgis.domain.statuses import OPEN_STATUSES
from feedbackgis.web.staff.inbox_texts import SORT_LABELS


def report_link(report_id: int) -> str:
    """The report's staff page (web/staff/report_page.py)."""
    if "staff.report_page" in current_app.view_functions:
        return url_for("staff.report_page", report_id=report_id, lang=g.language)
    return f"/staff/reports/{report_id}?lang={g.language}"


def filter_args(shown: InboxFilter, **changes: Any) -> dict[str, Any]:
    """The query of `shown` (with `changes`) for url_for: what links keep of the filter."""
    args: dict[str, Any] = {
        "status": sorted(shown.statuses) if shown.statuses != OPEN_STATUSES else None,
        "category": shown.category_id, "zone": shown.zone_id, "party": shown.party_id,
        "min_age": shown.min_age_days, "max_age": shown.max_age_days,
        "overdue": "1" if shown.overdue_only else None,
        "person": shown.person, "sort": shown.sort.value, "order": shown.order.value,
        "page": shown.page, "lang": g.language,
    }
    args.update(changes)
    return {key: value for key, value in args.items() if value is not None}


def inbox_url(shown: InboxFilter, **changes: Any) -> str:
    return url_for("staff.inbox", **filter_args(shown, **changes))


def sort_columns(shown: InboxFilter) -> dict[str, dict[str, Any]]:
    """Each sortable column's heading: its label, aria-sort and the link that sorts by it
    (the other way round when it is the current sort)."""
    columns = {}
    for key, label in SORT_LABELS.items():
        current = shown.sort is key
        if current:
            order = SortOrder.ASC if shown.order is SortOrder.DESC else SortOrder.DESC
        else:
            order = NATURAL_ORDER[key]
        columns[key.value] = {
            "label": gettext(label),
            "aria_sort": ("ascending" if shown.order is SortOrder.ASC else "descending")
            if current else None,
            "href": inbox_url(shown, sort=key.value, order=order.value, page=1),
            "hint": gettext("sort ascending") if order is SortOrder.ASC
            else gettext("sort descending"),
        }
    return columns



def page_numbers(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The pages the pagination links to: the first, the last, a few around the current
    one, and None where pages are left out between them."""
    wanted = {1, pages, *range(max(1, current - around), min(pages, current + around) + 1)}
    numbers: list[int | None] = []
    for number in sorted(wanted):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers

"""The filters a resident picks, read into what the queries take."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from feedbackgis.domain.public_map import MapFilters, ReportState, since_days_ago
from feedbackgis.errors import InvalidInput
from feedbackgis.repositories.public_map import category_ids_by_code


def map_filters(session: Session, category_codes: Sequence[str], state: ReportState,
                days: int | None, now: datetime) -> MapFilters:
    """An unknown category code is refused (422 naming `category`) rather than ignored: it is
    a typo or a stale link, and ignoring it would show every category, or none, without
    saying why. Codes of inactive categories are known: their old reports are still shown."""
    ids = category_ids_by_code(session, list(category_codes)) if category_codes else {}
    unknown = [code for code in category_codes if code not in ids]
    if unknown:
        raise InvalidInput(f"No category with code {', '.join(map(repr, unknown))}; "
                           "GET /api/v1/categories lists them.", field="category")
    return MapFilters(category_ids=tuple(sorted(set(ids.values()))), state=state,
                      since=since_days_ago(days, now))

"""The dashboard's figures computed straight from the report table, without the rollups: the
baseline the figures benchmark measures the dashboard against, in the same run.

One statement: every count of the dashboard, and the median and 90th percentile of the
handling times in working days (percentile_cont over the reports themselves), grouped by
category, party, zone, month and status and in all (GROUPING SETS), for the reports
created in the period. The working days are counted as repositories/figures.py counts
them, so the totals must come out equal to the rollups' (the benchmark checks that).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from feedbackgis.domain.figures import DAY_ENDS_AT
from feedbackgis.domain.months import month_bounds

# NULL for a report not answered (greatest() would skip the NULL and give 0).
_WORKING_DAYS = """CASE WHEN {ended}.day IS NOT NULL THEN greatest(0, {ended}.working_day_number
    - (began.working_day_number + CASE WHEN began.is_working_day
                                            AND (r.created_at AT TIME ZONE :tz)::time < :day_ends
                                       THEN 0 ELSE 1 END)) END"""

FIGURES_FROM_REPORTS = f"""
SELECT GROUPING(r.category_id, party_id, zone_id, month, r.status) AS grouping,
       r.category_id, party_id, zone_id, month, r.status::text,
       count(*) AS reports,
       count(*) FILTER (WHERE r.submitted_from = 'phone') AS from_phone,
       count(*) FILTER (WHERE r.sent_offline) AS sent_offline,
       count(*) FILTER (WHERE r.with_contact) AS with_contact,
       count(*) FILTER (WHERE r.language = 'fi') AS in_finnish,
       count(*) FILTER (WHERE r.language = 'sv') AS in_swedish,
       count(*) FILTER (WHERE r.language = 'en') AS in_english,
       count(*) FILTER (WHERE r.fixed_at IS NOT NULL OR r.reopen_count > 0) AS ever_fixed,
       count(*) FILTER (WHERE r.reopen_count > 0) AS reopened,
       count(*) FILTER (WHERE r.fixed_at IS NOT NULL AND r.due_at IS NOT NULL) AS with_due,
       count(*) FILTER (WHERE r.fixed_at <= r.due_at) AS on_time,
       count(*) FILTER (WHERE r.status = 'duplicate') AS duplicates,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
           ORDER BY {_WORKING_DAYS.format(ended="responded")}) AS response,
       percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
           ORDER BY {_WORKING_DAYS.format(ended="fixed")}) AS fixed
FROM report AS r
CROSS JOIN LATERAL (
    SELECT coalesce(r.assigned_party_id, 0) AS party_id,
           coalesce(r.assigned_zone_id, 0) AS zone_id,
           date_trunc('month', r.created_at AT TIME ZONE :tz)::date AS month
) AS keys
JOIN calendar_day AS began ON began.day = (r.created_at AT TIME ZONE :tz)::date
LEFT JOIN calendar_day AS responded
       ON responded.day = (r.first_response_at AT TIME ZONE :tz)::date
LEFT JOIN calendar_day AS fixed ON fixed.day = (r.fixed_at AT TIME ZONE :tz)::date
WHERE r.created_at >= :begins AND r.created_at < :ends {{narrowed}}
GROUP BY GROUPING SETS ((r.category_id), (party_id), (zone_id), (month), (r.status), ())
"""  # noqa: S608 - built from constants; values are bound parameters


@dataclass(frozen=True)
class Period:
    first_month: date
    last_month: date
    party_id: int | None = None
    category_id: int | None = None


def baseline_query(period: Period, time_zone: str) -> tuple[str, dict[str, object]]:
    begins, _ = month_bounds(period.first_month, time_zone)
    _, ends = month_bounds(period.last_month, time_zone)
    params: dict[str, object] = {"begins": begins, "ends": ends, "tz": time_zone,
                                 "day_ends": DAY_ENDS_AT}
    narrowed = ""
    if period.party_id is not None:
        narrowed += " AND r.assigned_party_id = :party_id"
        params["party_id"] = period.party_id
    if period.category_id is not None:
        narrowed += " AND r.category_id = :category_id"
        params["category_id"] = period.category_id
    return FIGURES_FROM_REPORTS.format(narrowed=narrowed), params


@dataclass(frozen=True)
class BaselineTotal:
    rows: int  # every row of the grouping sets
    reports: int
    response: tuple[float | None, float | None]  # median, p90
    fixed: tuple[float | None, float | None]


def figures_from_reports(conn: Connection, period: Period, time_zone: str) -> BaselineTotal:
    statement, params = baseline_query(period, time_zone)
    rows = conn.execute(text(statement), params).all()
    total = next(row for row in rows if row.grouping == 0b11111)

    def pair(values: list[float] | None) -> tuple[float | None, float | None]:
        return (values[0], values[1]) if values else (None, None)

    return BaselineTotal(rows=len(rows), reports=total.reports, response=pair(total.response),
                         fixed=pair(total.fixed))

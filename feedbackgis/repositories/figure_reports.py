"""The reports behind the figures' filters, for what reads reports themselves rather than
the rollups (exports, heatmaps): the same months, category, party and zone."""
from __future__ import annotations

from sqlalchemy import ColumnElement

from feedbackgis.domain.months import month_bounds
from feedbackgis.models import Report
from feedbackgis.repositories.figures import RollupFilter


def report_conditions(rollup: RollupFilter, time_zone: str) -> list[ColumnElement[bool]]:
    """WHERE conditions on Report for the filters (party 0: the reports of no party). The
    period is a range of created_at (ix_report_created_at)."""
    begins, _ = month_bounds(rollup.first_month, time_zone)
    _, ends = month_bounds(rollup.last_month, time_zone)
    conditions = [Report.created_at >= begins, Report.created_at < ends]
    if rollup.category_id is not None:
        conditions.append(Report.category_id == rollup.category_id)
    if rollup.party_id is not None:
        conditions.append(Report.assigned_party_id.is_(None) if rollup.party_id == 0
                          else Report.assigned_party_id == rollup.party_id)
    if rollup.zone_id is not None:
        conditions.append(Report.assigned_zone_id == rollup.zone_id)
    return conditions

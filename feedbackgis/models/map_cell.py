"""Counts of the public map's reports per grid cell, kept by the database.

One row is the number of reports (and the sums of their lon and lat, for the cell's mean
position) in one cell of one grid zoom (domain/map_grid.py), of one category, open or fixed,
created in one period. Each report on the map is counted at every grid zoom 0..15, under its
own category and under category 0 ("every category"), and in three periods: all time
(year 0, month 0), its year (month 0) and its month. A viewport then sums a few rows per
cell whatever the filters, instead of every report under it.

Statement-level triggers on `report` (migration 0006) keep the rows in step with every
write, whoever makes it (services, the CLI, retention, SQL by hand): the same reason
zone_part has its trigger. A row whose count falls to zero is deleted. The migration sets
fillfactor 90 and an early autovacuum: every write updates the same few rows of the coarse
grids, and their dead versions should not pile up.
`map_cells_rebuild()` computes it again from the reports (after a bulk load with the
triggers disabled, for instance).
"""
from __future__ import annotations

from sqlalchemy import Boolean, Float, Index, Integer, SmallInteger, text
from sqlalchemy.orm import Mapped, mapped_column

from feedbackgis.domain.public_map import HIDDEN_STATUSES
from feedbackgis.models.base import Base
from feedbackgis.models.report import Report

# Which reports the public map shows, as the partial index below and the queries write it
# (the planner uses a partial index only for queries that repeat its predicate).
_HIDDEN = ", ".join(f"'{status.value}'" for status in sorted(HIDDEN_STATUSES))
ON_PUBLIC_MAP = f"is_public AND status NOT IN ({_HIDDEN}) AND location IS NOT NULL"
EVERY_CATEGORY = 0


class MapCell(Base):
    __tablename__ = "map_cell"
    # The key's order serves the viewport query: for each filter combination, one index
    # range per column of cells.
    grid_zoom: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: every category
    fixed: Mapped[bool] = mapped_column(Boolean, primary_key=True)  # fixed or closed
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # 0: all time (UTC)
    month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # 0: the whole year
    cell_x: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_y: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_count: Mapped[int] = mapped_column(Integer)
    lon_sum: Mapped[float] = mapped_column(Float)
    lat_sum: Mapped[float] = mapped_column(Float)


# Newest reports on the public map first (the list view), and the reports of the last few
# weeks that the cells' monthly counts do not cover (the age filter's partial month).
# Declared here, beside the queries it serves, rather than in report.py.
report_on_public_map_by_created_at = Index(
    "ix_report_on_public_map_created_at", Report.__table__.c.created_at,
    postgresql_where=text(ON_PUBLIC_MAP),
)

"""The public map's counts per grid cell (map_cell), kept in step with report by triggers

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The grid of domain/map_grid.py: at grid zoom g the Web Mercator world is 4 << g cells
# across and down (64-pixel cells), numbered like XYZ tiles. Both functions are inlined by
# the planner, and are the only arithmetic of cells in SQL.
GRID_FUNCTIONS = """
CREATE FUNCTION map_cell_x(lon double precision, grid_zoom integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT greatest(0, least(floor((lon + 180.0) / 360.0 * (4 << grid_zoom)),
                             (4 << grid_zoom) - 1))::integer
$$;

CREATE FUNCTION map_cell_y(lat double precision, grid_zoom integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT greatest(0, least(floor(
        (0.5 - ln(tan(pi() / 4 + radians(greatest(-85.0511287798066,
                                                  least(85.0511287798066, lat))) / 2))
               / (2 * pi())) * (4 << grid_zoom)), (4 << grid_zoom) - 1))::integer
$$;
"""

# A report's part in the counts: +1 or -1 of it, or NULL when the public map does not show
# it (unpublished, rejected, or without a point). The same test as models.map_cell.ON_PUBLIC_MAP.
CHANGE_OF_REPORT = """
CREATE TYPE map_cell_change AS (
    sign integer, category_id integer, fixed boolean, created_at timestamptz,
    lon double precision, lat double precision);

CREATE FUNCTION map_cell_change_of(r report, sign integer) RETURNS map_cell_change
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN r.is_public AND r.status <> 'rejected' AND r.location IS NOT NULL
           THEN ROW(sign, r.category_id, r.status IN ('resolved', 'closed'), r.created_at,
                    ST_X(r.location), ST_Y(r.location))::map_cell_change
           END
$$;
"""

# Adds changes to the counts: each change at every grid zoom 0..15 (MAX_GRID_ZOOM), under its
# category and under category 0, for all time (year 0), its year (month 0) and its month
# (UTC). Rows are written in key order, so concurrent writers wait for each other rather
# than deadlock within a statement. A row whose count reaches zero is deleted at once (by
# the ctid of the version just written, which this transaction holds locked); no index on
# the count, so that the updates of busy rows (a city's few cells at low zooms) stay HOT.
APPLY_CHANGES = """
CREATE FUNCTION map_cells_apply(changes map_cell_change[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    emptied tid[];
BEGIN
    IF cardinality(changes) = 0 THEN
        RETURN;
    END IF;
    WITH written AS (
        INSERT INTO map_cell AS cell (grid_zoom, category_id, fixed, year, month, cell_x,
                                      cell_y, report_count, lon_sum, lat_sum)
        SELECT level.grid_zoom, rollup.category_id, change.fixed, period.year, period.month,
               map_cell_x(change.lon, level.grid_zoom), map_cell_y(change.lat, level.grid_zoom),
               sum(change.sign), sum(change.sign * change.lon), sum(change.sign * change.lat)
        FROM unnest(changes) AS change
        CROSS JOIN generate_series(0, 15) AS level(grid_zoom)
        CROSS JOIN LATERAL (VALUES (change.category_id), (0)) AS rollup(category_id)
        CROSS JOIN LATERAL (
            SELECT extract(year FROM change.created_at AT TIME ZONE 'UTC')::smallint AS y,
                   extract(month FROM change.created_at AT TIME ZONE 'UTC')::smallint AS m
        ) AS created
        CROSS JOIN LATERAL (VALUES (0::smallint, 0::smallint), (created.y, 0::smallint),
                                   (created.y, created.m)) AS period(year, month)
        WHERE change.sign IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING sum(change.sign) <> 0 OR sum(change.sign * change.lon) <> 0
            OR sum(change.sign * change.lat) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (grid_zoom, category_id, fixed, year, month, cell_x, cell_y) DO UPDATE
        SET report_count = cell.report_count + excluded.report_count,
            lon_sum = cell.lon_sum + excluded.lon_sum,
            lat_sum = cell.lat_sum + excluded.lat_sum
        RETURNING cell.ctid, cell.report_count
    )
    SELECT array_agg(written.ctid) INTO emptied FROM written WHERE written.report_count = 0;
    IF emptied IS NOT NULL THEN
        DELETE FROM map_cell WHERE ctid = ANY(emptied);
    END IF;
END $$;
"""

# Statement-level triggers see every row a statement wrote at once (transition tables), so
# a bulk UPDATE or a retention DELETE adds its changes in one pass. An UPDATE that leaves a
# report's part unchanged (a new assignee, received -> assigned) changes nothing.
TRIGGERS = """
CREATE FUNCTION map_cells_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM map_cells_apply(ARRAY(SELECT map_cell_change_of(n, 1) FROM new_rows AS n));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM map_cells_apply(ARRAY(SELECT map_cell_change_of(o, -1) FROM old_rows AS o));
    ELSE
        PERFORM map_cells_apply(ARRAY(
            SELECT part.change
            FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id,
                 LATERAL (VALUES (map_cell_change_of(o, -1)),
                                 (map_cell_change_of(n, 1))) AS part(change)
            WHERE map_cell_change_of(o, 1) IS DISTINCT FROM map_cell_change_of(n, 1)));
    END IF;
    RETURN NULL;
END $$;

-- A TRUNCATE of report and map_cell together (the tests empty every table so) has emptied
-- map_cell already, and may not truncate it a second time within the same statement.
CREATE FUNCTION map_cells_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM map_cell) THEN
        TRUNCATE map_cell;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER map_cells_on_insert AFTER INSERT ON report
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION map_cells_sync();
CREATE TRIGGER map_cells_on_update AFTER UPDATE ON report
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION map_cells_sync();
CREATE TRIGGER map_cells_on_delete AFTER DELETE ON report
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION map_cells_sync();
CREATE TRIGGER map_cells_on_truncate AFTER TRUNCATE ON report
    FOR EACH STATEMENT EXECUTE FUNCTION map_cells_clear();
"""

# All the counts again from the reports: the finest grid from the reports, then each
# coarser one from the one below it (a cell holds the four under it: x >> 1, y >> 1), which
# is several times faster than counting every report at every zoom. The same numbers
# map_cells_apply adds up (tests/integration/test_map_cells.py compares them).
REBUILD = """
CREATE FUNCTION map_cells_rebuild() RETURNS void LANGUAGE plpgsql
SET work_mem = '64MB' AS $$
BEGIN
    TRUNCATE map_cell;
    INSERT INTO map_cell (grid_zoom, category_id, fixed, year, month, cell_x, cell_y,
                          report_count, lon_sum, lat_sum)
    SELECT 15, rollup.category_id, change.fixed, period.year, period.month,
           map_cell_x(change.lon, 15), map_cell_y(change.lat, 15),
           count(*), sum(change.lon), sum(change.lat)
    FROM report AS r
    CROSS JOIN LATERAL map_cell_change_of(r, 1) AS change
    CROSS JOIN LATERAL (VALUES (change.category_id), (0)) AS rollup(category_id)
    CROSS JOIN LATERAL (
        SELECT extract(year FROM change.created_at AT TIME ZONE 'UTC')::smallint AS y,
               extract(month FROM change.created_at AT TIME ZONE 'UTC')::smallint AS m
    ) AS created
    CROSS JOIN LATERAL (VALUES (0::smallint, 0::smallint), (created.y, 0::smallint),
                               (created.y, created.m)) AS period(year, month)
    WHERE change.sign IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    ORDER BY 1, 2, 3, 4, 5, 6, 7;
    FOR finer IN REVERSE 15..1 LOOP
        INSERT INTO map_cell (grid_zoom, category_id, fixed, year, month, cell_x, cell_y,
                              report_count, lon_sum, lat_sum)
        SELECT finer - 1, category_id, fixed, year, month, cell_x >> 1, cell_y >> 1,
               sum(report_count), sum(lon_sum), sum(lat_sum)
        FROM map_cell WHERE grid_zoom = finer
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ORDER BY 1, 2, 3, 4, 5, 6, 7;
    END LOOP;
    ANALYZE map_cell;
END $$;
"""

DROP = """
DROP TRIGGER IF EXISTS map_cells_on_truncate ON report;
DROP TRIGGER IF EXISTS map_cells_on_delete ON report;
DROP TRIGGER IF EXISTS map_cells_on_update ON report;
DROP TRIGGER IF EXISTS map_cells_on_insert ON report;
DROP FUNCTION IF EXISTS map_cells_rebuild();
DROP FUNCTION IF EXISTS map_cells_clear();
DROP FUNCTION IF EXISTS map_cells_sync();
DROP FUNCTION IF EXISTS map_cells_apply(map_cell_change[]);
DROP FUNCTION IF EXISTS map_cell_change_of(report, integer);
DROP TYPE IF EXISTS map_cell_change;
DROP FUNCTION IF EXISTS map_cell_y(double precision, integer);
DROP FUNCTION IF EXISTS map_cell_x(double precision, integer);
"""


def upgrade() -> None:
    op.create_table('map_cell',
    sa.Column('grid_zoom', sa.SmallInteger(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('fixed', sa.Boolean(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('cell_x', sa.Integer(), nullable=False),
    sa.Column('cell_y', sa.Integer(), nullable=False),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.Column('lon_sum', sa.Float(), nullable=False),
    sa.Column('lat_sum', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('grid_zoom', 'category_id', 'fixed', 'year', 'month', 'cell_x',
                            'cell_y', name=op.f('pk_map_cell'))
    )
    # Room on each page for new versions of its rows, so that updates can stay HOT (no new
    # index entry); and a vacuum after every few thousand dead versions rather than after a
    # fifth of the table: every write updates the same few rows of the coarse grids.
    op.execute("ALTER TABLE map_cell SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0,"
               " autovacuum_vacuum_threshold = 5000)")
    op.create_index('ix_report_on_public_map_created_at', 'report', ['created_at'],
                    unique=False, postgresql_where=sa.text(
                        "is_public AND status <> 'rejected' AND location IS NOT NULL"))
    op.execute(GRID_FUNCTIONS)
    op.execute(CHANGE_OF_REPORT)
    op.execute(APPLY_CHANGES)
    op.execute(TRIGGERS)
    op.execute(REBUILD)
    # The reports there are already.
    op.execute("SELECT map_cells_rebuild()")


def downgrade() -> None:
    op.execute(DROP)
    op.drop_index('ix_report_on_public_map_created_at', table_name='report')
    op.drop_table('map_cell')

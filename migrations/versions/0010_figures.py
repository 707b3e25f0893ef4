"""The managers' figures: the working-day calendar, monthly rollups, the report columns
they read (how it was sent, first response, fixed), hot spots and prepared files; the
language of staff users and parties for the emails nobody asked for

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

from feedbackgis.domain.figures import calendar_rows

# The report statuses of 0009, each a column of figure_month.
STATUSES = ('received', 'triage', 'assigned', 'in_progress', 'waiting', 'fixed', 'closed',
            'not_ours', 'duplicate', 'rejected', 'withdrawn')

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# first_response_at and fixed_at of a report, recomputed from its events (a few per report)
# whenever events are written, by whom ever (services, the CLI, SQL by hand). The rules are
# domain/figures.py's: a first response is a public answer or status change by a person,
# not by the resident or the service itself; fixed_at is when the report last entered
# fixed or closed from another status, kept only while its latest status change left it
# there (a reopening clears it). Only the rows whose values change are updated.
FIGURE_COLUMNS = """
CREATE FUNCTION report_figures_apply(ids integer[]) RETURNS void LANGUAGE sql AS $$
    UPDATE report AS r
    SET first_response_at = f.first_response_at, fixed_at = f.fixed_at, updated_at = now()
    FROM (
        SELECT e.report_id,
               min(e.created_at) FILTER (
                   WHERE e.is_public AND e.kind IN ('reply', 'status_changed')
                     AND e.actor NOT IN ('system', 'resident', 'reporter', 'follower')
               ) AS first_response_at,
               CASE WHEN (array_agg(e.to_status ORDER BY e.id DESC)
                          FILTER (WHERE e.to_status IS NOT NULL))[1] IN ('fixed', 'closed')
                    THEN max(e.created_at) FILTER (
                        WHERE e.to_status IN ('fixed', 'closed')
                          AND (e.from_status IS NULL OR e.from_status NOT IN ('fixed', 'closed')))
               END AS fixed_at
        FROM report_event AS e
        WHERE e.report_id = ANY(ids)
        GROUP BY e.report_id
    ) AS f
    WHERE r.id = f.report_id
      AND (r.first_response_at, r.fixed_at) IS DISTINCT FROM (f.first_response_at, f.fixed_at)
$$;

CREATE FUNCTION report_figures_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_figures_apply(ARRAY(SELECT DISTINCT report_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE TRIGGER report_figures_on_insert AFTER INSERT ON report_event
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_figures_sync();
CREATE TRIGGER report_figures_on_update AFTER UPDATE ON report_event
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_figures_sync();
"""


def fill_calendar() -> None:
    rows = [{"day": row.day, "working_day_number": row.working_day_number,
             "is_working_day": row.is_working_day} for row in calendar_rows()]
    table = sa.table("calendar_day", sa.column("day", sa.Date),
                     sa.column("working_day_number", sa.Integer),
                     sa.column("is_working_day", sa.Boolean))
    op.bulk_insert(table, rows)


def upgrade() -> None:
    op.create_table('calendar_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working_day_number', sa.Integer(), nullable=False),
    sa.Column('is_working_day', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_day'))
    )
    op.create_table('figure_duration',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=10), nullable=False),
    sa.Column('working_days', sa.SmallInteger(), nullable=False),
    sa.Column('reports', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'category_id', 'party_id', 'zone_id', 'measure', 'working_days', name=op.f('pk_figure_duration'))
    )
    op.create_table('figure_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('reports', sa.Integer(), nullable=False),
    sa.Column('from_phone', sa.Integer(), nullable=False),
    sa.Column('sent_offline', sa.Integer(), nullable=False),
    sa.Column('with_contact', sa.Integer(), nullable=False),
    sa.Column('in_finnish', sa.Integer(), nullable=False),
    sa.Column('in_swedish', sa.Integer(), nullable=False),
    sa.Column('in_english', sa.Integer(), nullable=False),
    sa.Column('ever_fixed', sa.Integer(), nullable=False),
    sa.Column('reopened', sa.Integer(), nullable=False),
    sa.Column('fixed_with_due_date', sa.Integer(), nullable=False),
    sa.Column('fixed_on_time', sa.Integer(), nullable=False),
    *[sa.Column(f'status_{status}', sa.Integer(), nullable=False) for status in STATUSES],
    sa.PrimaryKeyConstraint('month', 'category_id', 'party_id', 'zone_id', name=op.f('pk_figure_month'))
    )
    op.create_table('figure_refresh',
    sa.Column('id', sa.SmallInteger(), nullable=False),
    sa.Column('changed_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('full_refresh_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hot_spots_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figure_refresh'))
    )
    op.create_geospatial_table('hot_spot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.Column('hull', Geometry(srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('centre', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('first_reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_hot_spot_category_id_category'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hot_spot'))
    )
    op.create_geospatial_index('idx_hot_spot_hull', 'hot_spot', ['hull'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_hot_spot_category_id'), 'hot_spot', ['category_id'], unique=False)
    op.create_table('prepared_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('csv', 'xlsx', 'geojson', 'gpkg', 'heatmap', name='file_kind'), nullable=False),
    sa.Column('params', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('cache_key', sa.String(length=64), nullable=False),
    sa.Column('with_contact', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='file_state'), nullable=False),
    sa.Column('rows_done', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=300), nullable=True),
    sa.Column('byte_size', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by'], ['staff_user.id'], name=op.f('fk_prepared_file_requested_by_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prepared_file'))
    )
    op.create_index(op.f('ix_prepared_file_cache_key'), 'prepared_file', ['cache_key'], unique=False)
    op.create_index(op.f('ix_prepared_file_requested_by'), 'prepared_file', ['requested_by'], unique=False)
    op.create_table('hot_spot_report',
    sa.Column('hot_spot_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hot_spot_id'], ['hot_spot.id'], name=op.f('fk_hot_spot_report_hot_spot_id_hot_spot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_hot_spot_report_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('hot_spot_id', 'report_id', name=op.f('pk_hot_spot_report'))
    )
    op.create_index(op.f('ix_hot_spot_report_report_id'), 'hot_spot_report', ['report_id'], unique=False)
    op.add_column('party', sa.Column('language', sa.String(length=2), server_default='fi', nullable=False))
    op.add_column('report', sa.Column('submitted_from', sa.String(length=10), nullable=True))
    op.add_column('report', sa.Column('sent_offline', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.add_column('report', sa.Column('with_contact', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.add_column('report', sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('report', sa.Column('fixed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_report_updated_at'), 'report', ['updated_at'], unique=False)
    op.add_column('staff_user', sa.Column('language', sa.String(length=2), server_default='fi', nullable=False))
    op.create_index('ix_report_created_at', 'report', ['created_at'])
    fill_calendar()
    op.execute(FIGURE_COLUMNS)
    # The reports already there: their contact, and the columns from their events.
    op.execute("""UPDATE report AS r SET with_contact = true FROM reporter_contact AS c
                  WHERE c.report_id = r.id AND (coalesce(c.email, '') <> ''
                                                OR coalesce(c.phone, '') <> '')""")
    op.execute("SELECT report_figures_apply(ARRAY(SELECT id FROM report))")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS report_figures_on_update ON report_event")
    op.execute("DROP TRIGGER IF EXISTS report_figures_on_insert ON report_event")
    op.execute("DROP FUNCTION IF EXISTS report_figures_sync()")
    op.execute("DROP FUNCTION IF EXISTS report_figures_apply(integer[])")
    op.drop_column('staff_user', 'language')
    op.drop_index('ix_report_created_at', table_name='report')
    op.drop_index(op.f('ix_report_updated_at'), table_name='report')
    op.drop_column('report', 'fixed_at')
    op.drop_column('report', 'first_response_at')
    op.drop_column('report', 'with_contact')
    op.drop_column('report', 'sent_offline')
    op.drop_column('report', 'submitted_from')
    op.drop_column('party', 'language')
    op.drop_index(op.f('ix_hot_spot_report_report_id'), table_name='hot_spot_report')
    op.drop_table('hot_spot_report')
    op.drop_index(op.f('ix_prepared_file_requested_by'), table_name='prepared_file')
    op.drop_index(op.f('ix_prepared_file_cache_key'), table_name='prepared_file')
    op.drop_table('prepared_file')
    op.drop_index(op.f('ix_hot_spot_category_id'), table_name='hot_spot')
    op.drop_geospatial_index('idx_hot_spot_hull', table_name='hot_spot', postgresql_using='gist', column_name='hull')
    op.drop_geospatial_table('hot_spot')
    op.drop_table('figure_refresh')
    op.drop_table('figure_month')
    op.drop_table('figure_duration')
    op.drop_table('calendar_day')
    op.execute("DROP TYPE IF EXISTS file_state")
    op.execute("DROP TYPE IF EXISTS file_kind")

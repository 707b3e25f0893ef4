"""Staff work the reports: the full set of statuses, assignment to a person, due dates and
escalation, merging, moderation, response templates and the contact access log

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-13 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_STATUSES = ('waiting', 'not_ours', 'duplicate', 'withdrawn')
NEW_EVENT_KINDS = ('reply', 'note', 'person_assigned', 'recategorised', 'located', 'merged',
                   'escalated', 'moderated', 'published', 'unpublished', 'photo_hidden',
                   'photo_shown')
REPORT_STATUS = postgresql.ENUM(name='report_status', create_type=False)

# The map's counts follow the new statuses: a report that ended without a fix leaves the
# map, and "fixed" replaces "resolved". Same function as 0006's otherwise.
CHANGE_OF_REPORT = """
CREATE OR REPLACE FUNCTION map_cell_change_of(r report, sign integer) RETURNS map_cell_change
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN r.is_public
                 AND r.status NOT IN ('duplicate', 'not_ours', 'rejected', 'withdrawn')
                 AND r.location IS NOT NULL
           THEN ROW(sign, r.category_id, r.status IN ('fixed', 'closed'), r.created_at,
                    ST_X(r.location), ST_Y(r.location))::map_cell_change
           END
$$;
"""
OLD_CHANGE_OF_REPORT = """
CREATE OR REPLACE FUNCTION map_cell_change_of(r report, sign integer) RETURNS map_cell_change
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN r.is_public AND r.status <> 'rejected' AND r.location IS NOT NULL
           THEN ROW(sign, r.category_id, r.status IN ('resolved', 'closed'), r.created_at,
                    ST_X(r.location), ST_Y(r.location))::map_cell_change
           END
$$;
"""
ON_PUBLIC_MAP = ("is_public AND status NOT IN ('duplicate', 'not_ours', 'rejected', 'withdrawn') "
                 "AND location IS NOT NULL")


def upgrade() -> None:
    # New enum values must be committed before anything may use them.
    with op.get_context().autocommit_block():
        for status in NEW_STATUSES:
            op.execute(f"ALTER TYPE report_status ADD VALUE IF NOT EXISTS '{status}'")
        for kind in NEW_EVENT_KINDS:
            op.execute(f"ALTER TYPE event_kind ADD VALUE IF NOT EXISTS '{kind}'")
    op.execute("ALTER TYPE report_status RENAME VALUE 'resolved' TO 'fixed'")
    op.execute(CHANGE_OF_REPORT)  # before any update of report fires the map's triggers
    # Withdrawn reports were closed with a mark in their event; now they have their status.
    op.execute("""
        UPDATE report SET status = 'withdrawn'
        WHERE status = 'closed' AND EXISTS (
            SELECT FROM report_event e WHERE e.report_id = report.id
            AND e.to_status = 'closed' AND e.data ->> 'withdrawn' = 'true')""")
    op.execute("""
        UPDATE report_event SET to_status = 'withdrawn'
        WHERE to_status = 'closed' AND data ->> 'withdrawn' = 'true'""")
    _add_report_columns()
    _add_catalog_columns()
    _create_response_template()
    _create_contact_access()
    op.drop_index('ix_report_on_public_map_created_at', table_name='report')
    op.create_index('ix_report_on_public_map_created_at', 'report', ['created_at'], unique=False,
                    postgresql_where=sa.text(ON_PUBLIC_MAP))
    op.execute("SELECT map_cells_rebuild()")


def _add_report_columns() -> None:
    op.add_column('report', sa.Column('assigned_user_id', sa.Integer(), nullable=True))
    op.add_column('report', sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('report', sa.Column('escalation_level', sa.SmallInteger(), server_default='0',
                                      nullable=False))
    op.add_column('report', sa.Column('merged_into_id', sa.Integer(), nullable=True))
    op.add_column('report', sa.Column('public_description', sa.Text(), nullable=True))
    op.add_column('report', sa.Column('moderation_pending', sa.Boolean(),
                                      server_default=sa.text('false'), nullable=False))
    op.create_foreign_key(op.f('fk_report_assigned_user_id_staff_user'), 'report', 'staff_user',
                          ['assigned_user_id'], ['id'], ondelete='SET NULL')
    op.create_foreign_key(op.f('fk_report_merged_into_id_report'), 'report', 'report',
                          ['merged_into_id'], ['id'], ondelete='SET NULL')
    op.create_index(op.f('ix_report_assigned_user_id'), 'report', ['assigned_user_id'])
    op.create_index(op.f('ix_report_merged_into_id'), 'report', ['merged_into_id'])
    # The staff inbox of a party: every filter and sort column included (index-only scans).
    op.create_index('ix_report_inbox', 'report', ['assigned_party_id', 'status'],
                    postgresql_include=['id', 'category_id', 'assigned_zone_id',
                                        'assigned_user_id', 'created_at', 'updated_at',
                                        'due_at'])
    # Its first column serves every lookup by party (a party's deletion, too).
    op.drop_index('ix_report_assigned_party_id', table_name='report')
    op.add_column('report_event', sa.Column('staff_user_id', sa.Integer(), nullable=True))
    op.create_foreign_key(op.f('fk_report_event_staff_user_id_staff_user'), 'report_event',
                          'staff_user', ['staff_user_id'], ['id'], ondelete='SET NULL')


def _add_catalog_columns() -> None:
    op.add_column('category', sa.Column('handling_days', sa.SmallInteger(), server_default='10',
                                        nullable=False))
    op.add_column('zone', sa.Column('handling_days', sa.SmallInteger(), nullable=True))
    op.add_column('party', sa.Column('manager_email', sa.String(length=320), nullable=True))
    op.add_column('staff_user', sa.Column('session_epoch', sa.Integer(), server_default='0',
                                          nullable=False))


def _create_response_template() -> None:
    op.create_table('response_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('status', REPORT_STATUS, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text_fi', sa.Text(), nullable=False),
    sa.Column('text_sv', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('auto_response', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
              nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'],
                            name=op.f('fk_response_template_category_id_category'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_template'))
    )
    op.create_index(op.f('ix_response_template_category_id'), 'response_template',
                    ['category_id'])
    op.create_index('uq_response_template_auto', 'response_template',
                    [sa.text('coalesce(category_id, 0)'), 'status'], unique=True,
                    postgresql_where=sa.text('auto_response'))


def _create_contact_access() -> None:
    op.create_table('contact_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('context', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
              nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'],
                            name=op.f('fk_contact_access_staff_user_id_staff_user'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_access'))
    )
    op.create_index(op.f('ix_contact_access_report_id'), 'contact_access', ['report_id'])
    op.create_index(op.f('ix_contact_access_staff_user_id'), 'contact_access',
                    ['staff_user_id'])


FOLD_STATUS = """CASE {column}
    WHEN 'waiting' THEN 'in_progress' WHEN 'withdrawn' THEN 'closed'
    WHEN 'not_ours' THEN 'rejected' WHEN 'duplicate' THEN 'rejected'
    ELSE {column} END::report_status"""
NEW_STATUS_LIST = "('waiting', 'not_ours', 'duplicate', 'withdrawn')"


def downgrade() -> None:
    # PostgreSQL cannot drop enum values: the new statuses and event kinds are folded into
    # the old ones, so that the code of 0007 reads every row. (The SQL is built from this
    # module's constants only, hence the noqa.)
    op.execute(f"UPDATE report SET status = {FOLD_STATUS.format(column='status')} "  # noqa: S608
               f"WHERE status IN {NEW_STATUS_LIST}")
    for column in ('from_status', 'to_status'):
        op.execute(f"UPDATE report_event SET {column} = {FOLD_STATUS.format(column=column)} "  # noqa: S608
                   f"WHERE {column} IN {NEW_STATUS_LIST}")
    kinds = ", ".join(f"'{kind}'" for kind in NEW_EVENT_KINDS)
    op.execute(f"""UPDATE report_event SET kind = CASE WHEN to_status IS NULL THEN 'comment'
                   ELSE 'status_changed' END::event_kind WHERE kind IN ({kinds})""")  # noqa: S608
    # A moderator's edit goes with its column: the report leaves the public map rather than
    # show the reporter's own words (which may hold the personal data edited out).
    op.execute("UPDATE report SET is_public = false WHERE public_description IS NOT NULL")
    op.execute("ALTER TYPE report_status RENAME VALUE 'fixed' TO 'resolved'")
    op.execute(OLD_CHANGE_OF_REPORT)
    op.drop_index('ix_report_on_public_map_created_at', table_name='report')
    op.create_index('ix_report_on_public_map_created_at', 'report', ['created_at'], unique=False,
                    postgresql_where=sa.text(
                        "is_public AND status <> 'rejected' AND location IS NOT NULL"))
    op.drop_index('ix_report_inbox', table_name='report')
    op.create_index('ix_report_assigned_party_id', 'report', ['assigned_party_id'])
    op.drop_table('contact_access')
    op.drop_table('response_template')
    op.drop_column('staff_user', 'session_epoch')
    op.drop_column('party', 'manager_email')
    op.drop_column('zone', 'handling_days')
    op.drop_column('category', 'handling_days')
    op.drop_constraint(op.f('fk_report_event_staff_user_id_staff_user'), 'report_event',
                       type_='foreignkey')
    op.drop_column('report_event', 'staff_user_id')
    for column in ('moderation_pending', 'public_description', 'merged_into_id',
                   'escalation_level', 'due_at', 'assigned_user_id'):
        op.drop_column('report', column)
    op.execute("SELECT map_cells_rebuild()")

"""Contractors close the loop: work-order links, the "is it fixed?" check and reopenings,
API tokens and webhooks of contractor systems; the audit trail of admin changes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_EVENT_KINDS = ('accepted', 'handed_back', 'fix_confirmed', 'reopened')


def upgrade() -> None:
    with op.get_context().autocommit_block():
        for kind in NEW_EVENT_KINDS:
            op.execute(f"ALTER TYPE event_kind ADD VALUE IF NOT EXISTS '{kind}'")
    op.add_column('report', sa.Column('work_order_nonce', sa.String(length=64), nullable=True))
    op.add_column('report', sa.Column('fix_check_until', sa.DateTime(timezone=True),
                                      nullable=True))
    op.add_column('report', sa.Column('reopen_count', sa.SmallInteger(), server_default='0',
                                      nullable=False))
    op.add_column('party', sa.Column('webhook_url', sa.String(length=2000), nullable=True))
    op.add_column('party', sa.Column('webhook_secret', sa.String(length=128), nullable=True))
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
              nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_api_token_party_id_party'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_index(op.f('ix_api_token_party_id'), 'api_token', ['party_id'])
    op.create_table('admin_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
              nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'],
                            name=op.f('fk_admin_change_staff_user_id_staff_user'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_change'))
    )
    op.create_index('ix_admin_change_entity', 'admin_change', ['entity', 'entity_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_admin_change_entity', table_name='admin_change')
    op.drop_table('admin_change')
    op.drop_index(op.f('ix_api_token_party_id'), table_name='api_token')
    op.drop_table('api_token')
    op.drop_column('party', 'webhook_secret')
    op.drop_column('party', 'webhook_url')
    for column in ('reopen_count', 'fix_check_until', 'work_order_nonce'):
        op.drop_column('report', column)
    # The new event kinds stay in the type (PostgreSQL cannot drop enum values); their
    # events are folded into the old kinds so that the code of 0008 reads every row.
    kinds = ", ".join(f"'{kind}'" for kind in NEW_EVENT_KINDS)
    op.execute(f"""UPDATE report_event SET kind = CASE WHEN to_status IS NULL THEN 'note'
                   ELSE 'status_changed' END::event_kind WHERE kind IN ({kinds})""")  # noqa: S608

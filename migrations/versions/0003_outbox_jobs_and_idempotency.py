"""Outbox jobs tracked until done (the database is the record of side effects); idempotency keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOB_STATE = postgresql.ENUM('queued', 'done', 'failed', name='outbox_job_state',
                            create_type=False)


def upgrade() -> None:
    # sent_at meant "enqueued once"; a row is now done only when its jobs are.
    op.drop_index('ix_outbox_unsent', table_name='outbox')
    op.alter_column('outbox', 'sent_at', new_column_name='relayed_at')
    op.add_column('outbox', sa.Column('done_at', sa.DateTime(timezone=True), nullable=True))
    # Rows relayed before this migration: their jobs were never tracked; count them done.
    op.execute("UPDATE outbox SET done_at = relayed_at WHERE relayed_at IS NOT NULL")
    op.create_index('ix_outbox_unrelayed', 'outbox', ['id'], unique=False,
                    postgresql_where=sa.text('relayed_at IS NULL'))
    op.create_index('ix_outbox_not_done', 'outbox', ['id'], unique=False,
                    postgresql_where=sa.text('done_at IS NULL'))

    JOB_STATE.create(op.get_bind(), checkfirst=True)
    op.create_table('outbox_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=100), nullable=False),
    sa.Column('queue', sa.String(length=50), nullable=False),
    sa.Column('function', sa.String(length=200), nullable=False),
    sa.Column('kwargs', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('state', JOB_STATE, server_default='queued', nullable=False),
    sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enqueue_count', sa.Integer(), server_default='1', nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_outbox_job_outbox_id_outbox'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_job')),
    sa.UniqueConstraint('job_id', name=op.f('uq_outbox_job_job_id'))
    )
    op.create_index(op.f('ix_outbox_job_outbox_id'), 'outbox_job', ['outbox_id'], unique=False)
    op.create_index('ix_outbox_job_queued', 'outbox_job', ['enqueued_at'], unique=False,
                    postgresql_where=sa.text("state = 'queued'"))

    op.create_table('idempotent_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('operation', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('response', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_idempotent_request_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotent_request')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_idempotent_request_key_hash'))
    )
    op.create_index(op.f('ix_idempotent_request_report_id'), 'idempotent_request', ['report_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_idempotent_request_report_id'), table_name='idempotent_request')
    op.drop_table('idempotent_request')
    op.drop_index('ix_outbox_job_queued', table_name='outbox_job')
    op.drop_index(op.f('ix_outbox_job_outbox_id'), table_name='outbox_job')
    op.drop_table('outbox_job')
    JOB_STATE.drop(op.get_bind(), checkfirst=True)
    op.drop_index('ix_outbox_not_done', table_name='outbox')
    op.drop_index('ix_outbox_unrelayed', table_name='outbox')
    op.drop_column('outbox', 'done_at')
    op.alter_column('outbox', 'relayed_at', new_column_name='sent_at')
    op.create_index('ix_outbox_unsent', 'outbox', ['id'], unique=False,
                    postgresql_where=sa.text('sent_at IS NULL'))
